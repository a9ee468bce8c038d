"""The project's import graph, read from its source with `ast` (for tests/test_architecture.py).

A module is a source file named as Python names it: `articles/images/__init__.py` is the module
`articles.images`. An edge is one import of a project module, wherever it stands (module level,
class body, function or method), except in an `AppConfig.ready()` method: Django's documented
place for imports that need the app registry, run once the modules are loaded.

What an import statement is an edge to:
- `import a.b.c`: `a.b.c`;
- `from a.b import c`: `a.b.c` when that is a module, else `a.b` (c is a name defined there);
- `from . import c`, `from ..b import c`: the same, read from the importing module's package.
Importing `a.b.c` also runs the `__init__` of `a` and of `a.b` first: that gives implied edges
to those packages, except to the packages the importer is itself inside (their `__init__` has
run before the importer could). But `from package import submodule` reads the name from the
package itself, so it is an implied edge to the package even from inside it: a package whose
`__init__` imports a module that imports it back that way is a cycle. Implied edges count for
cycles only: a package's `__init__` that imports back into a module that imports one of its
submodules is a loop Python really runs into.
"""

import ast
from dataclasses import dataclass
from pathlib import Path, PurePosixPath


@dataclass(frozen=True)
class Module:
    name: str
    path: str
    is_package: bool
    source: str

    @property
    def lines(self):
        return len(self.source.splitlines())


@dataclass(frozen=True)
class Edge:
    importer: str
    target: str
    line: int
    # Inside a function or a method (other than AppConfig.ready()).
    in_function: bool
    # To a package whose __init__ runs before the submodule imported.
    implied: bool = False

    def __str__(self):
        return f"{self.importer} imports {self.target} (line {self.line})"


def module_from(path, source):
    """The module a file at `path` (relative, with slashes) holds."""
    parts = PurePosixPath(path).with_suffix("").parts
    is_package = parts[-1] == "__init__"
    return Module(".".join(parts[:-1] if is_package else parts), path, is_package, source)


def read_modules(root, packages):
    """{name: Module} for every source file under the `packages` folders of `root`, without
    migrations."""
    modules = {}
    for package in packages:
        for file in sorted(Path(root, package).rglob("*.py")):
            relative = file.relative_to(root)
            if "migrations" in relative.parts:
                continue
            module = module_from(relative.as_posix(), file.read_text(encoding="utf-8"))
            modules[module.name] = module
    return modules


def modules_from_sources(sources):
    """{name: Module} from {path: source}: a made-up project, for testing the checks."""
    modules = (module_from(path, source) for path, source in sources.items())
    return {module.name: module for module in modules}


def within(name, package):
    return name == package or name.startswith(package + ".")


def _base_name(expression):
    if isinstance(expression, ast.Attribute):
        return expression.attr
    return getattr(expression, "id", None)


class _Imports(ast.NodeVisitor):
    """Every import statement in a module, and whether it stands inside a function."""

    def __init__(self):
        self.found = []
        self.depth = 0

    def visit_ClassDef(self, node):
        is_app_config = any(_base_name(base) == "AppConfig" for base in node.bases)
        for child in node.body:
            is_ready = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) and (
                child.name == "ready"
            )
            if not (is_app_config and is_ready):
                self.visit(child)

    def visit_FunctionDef(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Import(self, node):
        self.found.append((node, self.depth > 0))

    visit_ImportFrom = visit_Import


def _known(name, modules):
    """The longest leading part of the dotted `name` that is a project module, or None."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def _targets(node, module, modules):
    """[(the module imported, the package it was read from by `from package import it`)]."""
    if isinstance(node, ast.Import):
        return [(_known(alias.name, modules), None) for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.name.split(".")
        if not module.is_package:
            package = package[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, base] if base else package)
    return [
        (f"{base}.{alias.name}", base)
        if f"{base}.{alias.name}" in modules
        else (_known(base, modules), None)
        for alias in node.names
    ]


def _packages_run_first(importer, target, modules):
    parts = target.split(".")
    for end in range(1, len(parts)):
        package = ".".join(parts[:end])
        if package in modules and not within(importer, package):
            yield package


def import_edges(modules):
    """Every edge between the `modules`, in the order the imports stand."""
    edges = []
    for module in modules.values():
        imports = _Imports()
        imports.visit(ast.parse(module.source, module.path))
        for node, in_function in imports.found:
            for target, read_from in dict.fromkeys(_targets(node, module, modules)):
                if target is None or target == module.name:
                    continue
                edges.append(Edge(module.name, target, node.lineno, in_function))
                # `from package import submodule` reads the name from the package: it needs
                # the package's __init__, even from inside the package.
                if read_from in modules and read_from != module.name:
                    edges.append(Edge(module.name, read_from, node.lineno, in_function, True))
                edges += [
                    Edge(module.name, package, node.lineno, in_function, implied=True)
                    for package in _packages_run_first(module.name, target, modules)
                ]
    return edges


def _strongly_connected(graph):
    """Tarjan's algorithm: the strongly connected components of {node: {successor, …}}."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph[node]):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = set()
            while not component or node not in component:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
            components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def _loop_through(component, graph):
    """One path that leaves the component's first module and comes back to it."""
    start = min(component)
    came_from = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for successor in sorted(graph[node] & component):
                if successor == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [*reversed(path), start]
                if successor not in came_from:
                    came_from[successor] = node
                    following.append(successor)
        frontier = following
    raise AssertionError(f"no loop through {sorted(component)}")


def cycles(edges):
    """{members: loop} for every import cycle: its modules (sorted), and one path around it."""
    graph = {}
    for edge in edges:
        graph.setdefault(edge.importer, set()).add(edge.target)
        graph.setdefault(edge.target, set())
    return {
        tuple(sorted(component)): _loop_through(component, graph)
        for component in _strongly_connected(graph)
        if len(component) > 1
    }
