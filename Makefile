# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench schema js-deps

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		(echo "Craftway needs Python 3.11 or newer (set PYTHON=python3.11)"; exit 1)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(PY) server.py serve

# Tests run in parallel, one process per core (each test makes its own SQLite file or PostgreSQL
# database, so workers never share one); the 10 slowest are listed at the end.
TEST_WORKERS ?= auto

test: $(STAMP) js-deps
	$(PY) -m pytest -q -n $(TEST_WORKERS) --durations=10

# Independent checkers from npm: ical.js (Thunderbird's parser) reads the feeds, graphql-http
# audits the GraphQL endpoint. Without npm those checks skip with a message (CI fails instead).
js-deps:
	@if command -v npm >/dev/null 2>&1; then \
		(cd tests/js && npm ci --no-audit --no-fund --silent) || echo "npm ci failed: the npm-based checks will skip"; \
	else echo "npm not found: the npm-based checks (ical.js, graphql-http) will skip"; fi

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy models schema resolvers web server.py

bench: $(STAMP)
	$(PY) bench/mobile_query.py

schema: $(STAMP)
	$(PY) -m schema.export
