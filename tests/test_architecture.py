"""The structure, checked: imports run one way and modules stay small (STYLE.md, 1 and 18).

The layers, lowest first; nothing imports a layer above its own:
- L0 infrastructure: `rs_cms` (but its wiring) and `taskqueue`;
- L1a the newsroom's base utilities: `articles.sanitize`, `.text`, `.dates`, `.urls_cache`,
  `.fields`;
- L1b the newsroom's parts, `articles.images` and `articles.redirects`: each imports L0, L1a and
  itself, not the other part;
- L2 the rest of `articles`;
- L3 `newsletter`;
- L4 demo and tools: `articles.demo`, the `load_demo` command, `bench`;
- the wiring, `rs_cms.urls`, `.wsgi` and `.asgi`, on top: it may import anything.
Tests are not read: they may import anything.

The graph is the project's own source (rs_cms, taskqueue, articles, newsletter, bench; not
migrations), read with `ast` by tests/import_graph.py. A module is a file, a package's
`__init__` included. An edge is an import anywhere in a module, but in `AppConfig.ready()`:
`import a.b.c` is an edge to `a.b.c`; `from a.b import c` to `a.b.c` if that is a module, else
to `a.b`; relative imports are read from the importer's package. Importing `a.b.c` runs the
`__init__` of `a` and `a.b` first: implied edges to them, but not to packages the importer is
itself inside (they ran before it). The rules:
a. no import cycle, implied edges included (a package's `__init__` that imports back into a
   module importing its submodule is a loop Python runs into);
b. no edge from a layer to one above it (implied edges left out: the explicit one says it);
c. no project module imported inside a function, which is how a loop is dodged, but in
   `AppConfig.ready()`. `bench` is exempt: its scripts start Django at run time
   (`django.setup()` inside a function) and only then may import models;
d. no module over 400 lines, but the data modules named in DATA_MODULES.
"""

from functools import cache
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.import_graph import cycles, import_edges, modules_from_sources, read_modules, within

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("rs_cms", "taskqueue", "articles", "newsletter", "bench")
MAX_LINES = 400

# Modules that are long because they hold data, not logic: {module: why}. None today: the
# demo's content is in data files (articles/demo/content/*.toml), which are not modules.
DATA_MODULES = {}

# The violations in the code as it stands, to be fixed: take an entry out once its fix
# is in (test_each_known_violation_still_occurs says which). Keys as the failing
# test reports them: "importer -> imported" for layers and function-level imports, the members
# of a cycle, a module for sizes.
KNOWN_VIOLATIONS = {
    "cycles": set(),
    "layers": set(),
    "function-level imports": set(),
    "sizes": set(),
}


class Layer(NamedTuple):
    rank: int
    name: str


INFRASTRUCTURE = Layer(0, "L0 infrastructure")
BASE_UTILITIES = Layer(1, "L1a base utilities")
PARTS = Layer(2, "L1b parts")
ARTICLES = Layer(3, "L2 articles")
NEWSLETTER = Layer(4, "L3 newsletter")
DEMO_AND_TOOLS = Layer(5, "L4 demo and tools")
WIRING = Layer(6, "wiring")

WIRING_MODULES = {"rs_cms.urls", "rs_cms.wsgi", "rs_cms.asgi"}
BASE_UTILITY_MODULES = {
    "articles.sanitize",
    "articles.text",
    "articles.dates",
    "articles.urls_cache",
    "articles.fields",
}
PART_PACKAGES = ("articles.images", "articles.redirects")


def is_demo_or_tool(name):
    return (
        within(name, "articles.demo")
        or name == "articles.management.commands.load_demo"
        or within(name, "bench")
    )


def layer_of(name):
    if name in WIRING_MODULES:
        return WIRING
    if is_demo_or_tool(name):
        return DEMO_AND_TOOLS
    if within(name, "rs_cms") or within(name, "taskqueue"):
        return INFRASTRUCTURE
    if name in BASE_UTILITY_MODULES:
        return BASE_UTILITIES
    if any(within(name, part) for part in PART_PACKAGES):
        return PARTS
    if within(name, "articles"):
        return ARTICLES
    if within(name, "newsletter"):
        return NEWSLETTER
    raise AssertionError(f"{name} is in no layer: place it in tests/test_architecture.py")


def part_of(name):
    return next(part for part in PART_PACKAGES if within(name, part))


def edge_key(edge):
    return f"{edge.importer} -> {edge.target}"


def cycle_violations(edges):
    return {", ".join(members): " -> ".join(loop) for members, loop in cycles(edges).items()}


def layer_violations(edges):
    found = {}
    for edge in edges:
        if edge.implied:
            continue
        importer, imported = layer_of(edge.importer), layer_of(edge.target)
        if imported.rank > importer.rank:
            found[edge_key(edge)] = f"{edge}: {importer.name} imports {imported.name}"
        elif importer == imported == PARTS and part_of(edge.importer) != part_of(edge.target):
            found[edge_key(edge)] = f"{edge}: one of the newsroom's parts imports the other"
    return found


def function_level_imports(edges):
    return {
        edge_key(edge): f"{edge}, inside a function"
        for edge in edges
        if edge.in_function and not edge.implied and not within(edge.importer, "bench")
    }


def oversized(modules):
    return {
        module.name: f"{module.path}: {module.lines} lines (the most is {MAX_LINES})"
        for module in modules.values()
        if module.lines > MAX_LINES and module.name not in DATA_MODULES
    }


@cache
def project():
    modules = read_modules(ROOT, PACKAGES)
    return modules, import_edges(modules)


def checks():
    modules, edges = project()
    return {
        "cycles": cycle_violations(edges),
        "layers": layer_violations(edges),
        "function-level imports": function_level_imports(edges),
        "sizes": oversized(modules),
    }


def report(rule, found):
    new = {key: why for key, why in found.items() if key not in KNOWN_VIOLATIONS[rule]}
    return f"{len(new)} new {rule} violation(s):\n" + "\n".join(sorted(new.values()))


@pytest.mark.parametrize("rule", KNOWN_VIOLATIONS)
def test_no_new_violation(rule):
    found = checks()[rule]
    assert set(found) <= KNOWN_VIOLATIONS[rule], report(rule, found)


@pytest.mark.parametrize("rule", KNOWN_VIOLATIONS)
def test_each_known_violation_still_occurs(rule):
    fixed = KNOWN_VIOLATIONS[rule] - set(checks()[rule])
    assert not fixed, f"fixed, take out of KNOWN_VIOLATIONS[{rule!r}]: {sorted(fixed)}"


def test_every_module_is_in_a_layer_and_the_graph_is_read():
    modules, edges = project()
    assert {"articles.models", "newsletter.models", "rs_cms.settings"} <= set(modules)
    assert not any("migrations" in name for name in modules)
    assert len(edges) > 100
    for name in modules:
        layer_of(name)


def test_the_data_modules_named_exist():
    modules, _ = project()
    assert set(DATA_MODULES) <= set(modules), sorted(set(DATA_MODULES) - set(modules))


# The checks themselves, on a made-up project: they can fail.

MADE_UP = {
    "rs_cms/__init__.py": "",
    "rs_cms/cache.py": "from articles import models\n",
    "articles/__init__.py": "",
    "articles/models.py": "from . import views\n",
    "articles/views.py": "import articles.models\n",
    "articles/images/__init__.py": "from articles.images.models import Image\n",
    "articles/images/models.py": (
        "from articles.redirects import paths\n"
        "def picture():\n"
        "    from articles.images import thumbnails\n"
    ),
    "articles/images/thumbnails.py": "from ..text import plain\n",
    "articles/text.py": "import articles.images.models\n",
    "articles/redirects/__init__.py": "",
    "articles/redirects/paths.py": "",
    "articles/apps.py": (
        "from django.apps import AppConfig\n"
        "class ArticlesConfig(AppConfig):\n"
        "    def ready(self):\n"
        "        from newsletter import models\n"
    ),
    "newsletter/__init__.py": "",
    "newsletter/models.py": "from bench import site\nfrom rs_cms.cache import *\n",
    "bench/site.py": "def main():\n    from articles.models import Article\n",
}


@pytest.fixture
def made_up():
    modules = modules_from_sources(MADE_UP)
    return modules, import_edges(modules)


def test_the_graph_resolves_every_form_of_import(made_up):
    _, edges = made_up
    found = {(edge.importer, edge.target, edge.in_function, edge.implied) for edge in edges}
    assert found == {
        ("rs_cms.cache", "articles.models", False, False),
        ("rs_cms.cache", "articles", False, True),
        ("articles.models", "articles.views", False, False),
        # `from articles import views`: read from the package, so its __init__ is needed.
        ("articles.models", "articles", False, True),
        ("articles.views", "articles.models", False, False),
        ("articles.images", "articles.images.models", False, False),
        ("articles.images.models", "articles.redirects.paths", False, False),
        ("articles.images.models", "articles.redirects", False, True),
        ("articles.images.models", "articles.images.thumbnails", True, False),
        ("articles.images.models", "articles.images", True, True),
        ("articles.images.thumbnails", "articles.text", False, False),
        ("articles.text", "articles.images.models", False, False),
        ("articles.text", "articles.images", False, True),
        ("newsletter.models", "bench.site", False, False),
        ("newsletter.models", "rs_cms.cache", False, False),
        ("newsletter.models", "rs_cms", False, True),
        ("bench.site", "articles.models", True, False),
        ("bench.site", "articles", True, True),
    }


def test_a_cycle_is_reported_with_its_path(made_up):
    _, edges = made_up
    assert cycle_violations(edges) == {
        "articles.models, articles.views": "articles.models -> articles.views -> articles.models",
        # The shortest way round: images.models reads thumbnails from the package whose
        # __init__ imports images.models (the longer loop runs through articles.text).
        "articles.images, articles.images.models, articles.images.thumbnails, articles.text": (
            "articles.images -> articles.images.models -> articles.images"
        ),
    }


def test_an_upward_import_is_reported(made_up):
    _, edges = made_up
    assert set(layer_violations(edges)) == {
        "rs_cms.cache -> articles.models",
        "articles.images.models -> articles.redirects.paths",
        "articles.text -> articles.images.models",
        "newsletter.models -> bench.site",
    }


def test_a_function_level_import_is_reported_outside_ready_and_bench(made_up):
    _, edges = made_up
    assert set(function_level_imports(edges)) == {
        "articles.images.models -> articles.images.thumbnails"
    }


def test_a_long_module_is_reported():
    modules = modules_from_sources({"articles/long.py": "x = 1\n" * (MAX_LINES + 1)})
    assert oversized(modules) == {"articles.long": "articles/long.py: 401 lines (the most is 400)"}
