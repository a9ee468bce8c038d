# rs_cms: `make run` serves the demo site, `make test` runs the suite. Both build .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)

NPM_STAMP := node_modules/.installed-$(shell cksum < package-lock.json | cut -d' ' -f1)

.PHONY: run serve bench bench-workload test lint format clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), "rs_cms needs Python 3.12 or newer"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

# Test-only tools (axe-core for the accessibility scan, vnu-jar for HTML validity), pinned by package-lock.json.
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	rm -f node_modules/.installed-*
	touch $@

# The web server and the task worker side by side (Procfile.dev), both stopped by Ctrl-C.
run: $(STAMP)
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --no-input
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py secure_originals
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py load_demo
	DEBUG=$${DEBUG:-1} SITE_URL=$${SITE_URL:-http://$${HOST:-127.0.0.1}:$${PORT:-8000}} \
		PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile.dev --port $${PORT:-8000}

# Production-like: gunicorn (gunicorn.conf.py) and a task worker, from the Procfile
# (set SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL...; see docs/deployment.md).
serve: $(STAMP)
	$(BIN)/python manage.py collectstatic --no-input -v 0
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py secure_originals
	@# honcho gives each process a PORT of its own: gunicorn's address is fixed here instead.
	BIND="$${BIND:-$$([ -n "$$PORT" ] && echo "0.0.0.0:$$PORT" || echo 127.0.0.1:8000)}" \
		PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile

# The site benchmark (not a test): gunicorn + PostgreSQL + wrk; see docs/performance.md.
bench: $(STAMP)
	$(BIN)/python bench/site.py $(BENCH_ARGS)

# The newsroom workload (not a test): Zipf readers and an editor, page cache tags on and off.
bench-workload: $(STAMP)
	$(BIN)/python bench/workload.py $(WORKLOAD_ARGS)

# pytest sets SITE_URL itself (pyproject.toml's [tool.pytest_env]); manage.py needs it given.
test: $(STAMP) $(NPM_STAMP)
	SECRET_KEY=$${SECRET_KEY:-insecure-key-for-tests-only} SITE_URL=$${SITE_URL:-http://127.0.0.1:8000} \
		$(BIN)/python manage.py makemigrations --check --dry-run
	SECRET_KEY=$${SECRET_KEY:-insecure-key-for-tests-only} $(BIN)/python -W error -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles node_modules
