# make run   — set up and run the portal on SQLite with demo data (http://127.0.0.1:5000)
# make test  — set up and run the whole test suite (DATABASE_URL=... for PostgreSQL)
# make bench — the speed benchmark at 100,000 cases (bench/README.md; DATABASE_URL=... for PostgreSQL)
# make upgrade — refresh uv.lock to the newest versions pyproject.toml allows (a deliberate change)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# uv installs exactly uv.lock; it lives in a venv of its own so that syncing .venv to the lock
# never removes it. No Python is ever downloaded: the machine's $(PYTHON) is used.
TOOLS  := .tools
UV     := $(TOOLS)/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
HOST   ?= 127.0.0.1
PORT   ?= 5000
TEST_WORKERS ?= auto

.PHONY: run test setup lock upgrade lock-check translations messages browser redis pdftools lint migrations-check clean bench

run: setup
	$(BIN)/flask --app wsgi init-db
	$(BIN)/flask --app wsgi seed-demo
	$(BIN)/flask --app wsgi integrity keygen --if-missing
	$(BIN)/flask --app wsgi integrity checkpoint
	@echo "Dispute Portal on http://$(HOST):$(PORT)/ — demo logins are listed in README.md"
	$(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

# The suite on every core (pytest-xdist): each worker has its own database and Redis database.
# One test: .venv/bin/pytest tests/test_filing.py::test_name (README, "Running tests").
test: setup browser redis pdftools
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

setup: $(STAMP) translations

$(STAMP): pyproject.toml uv.lock $(UV)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))"; exit 1; }
	@# WeasyPrint (the rulings' PDFs) needs Pango and HarfBuzz from the system.
	@$(PYTHON) -c 'import ctypes.util as u, sys; sys.exit(not (u.find_library("pango-1.0") and u.find_library("pangoft2-1.0") and u.find_library("harfbuzz-subset")))' \
		|| scripts/apt-install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
	@# Bytecode now, once: every process (a test worker, each `flask` command the browser
	@# tests start) would otherwise compile the dependencies again where PYTHONDONTWRITEBYTECODE
	@# is set (about 4 s each).
	$(UV) sync --locked --compile-bytecode --python $(PYTHON) --quiet
	touch $(STAMP)

$(UV): scripts/uv-requirements.txt
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || scripts/apt-install python3-venv
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check --require-hashes \
		-r scripts/uv-requirements.txt
	touch $(UV)

# After editing the dependencies in pyproject.toml: lock them (nothing else moves).
lock: $(UV)
	$(UV) lock --python $(PYTHON)

# Every dependency to the newest version pyproject.toml allows; run the suite, commit alone.
upgrade: $(UV)
	$(UV) lock --upgrade --python $(PYTHON)

# Fails when pyproject.toml and uv.lock disagree (CI runs it).
lock-check: $(UV)
	$(UV) lock --check --python $(PYTHON)

translations: $(STAMP)
	$(BIN)/pybabel compile --statistics -d dispute_portal/translations

# After changing texts: re-extract them and merge into the Russian and Kazakh catalogs.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _l --no-location --omit-header \
		-o dispute_portal/translations/messages.pot .
	$(BIN)/pybabel update -i dispute_portal/translations/messages.pot \
		-d dispute_portal/translations --ignore-obsolete

# The browser tests drive Debian's chromium (Playwright cannot download browsers here).
browser:
	@command -v chromium >/dev/null 2>&1 || scripts/apt-install chromium

# The redaction tests read the published PDFs with poppler's pdftotext.
pdftools:
	@command -v pdftotext >/dev/null 2>&1 || scripts/apt-install poppler-utils

# Production's job engine (RQ) is tested against a real Redis on 127.0.0.1:6379.
redis:
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { \
		command -v redis-server >/dev/null 2>&1 || scripts/apt-install redis-server; \
		redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no; \
		sleep 1; }

# Builds (or reuses) the bench database, then: drawn CPU against the minimal pages, and
# gunicorn + wrk on 127.0.0.1 cold, cached, for the minimal app and (SQLite) with one worker,
# bounded in time (--time-limit). PostgreSQL when DATABASE_URL is set: its server's database
# `bench`, and Redis's database 9 for the cached run (bench/README.md).
bench: setup
	@command -v wrk >/dev/null 2>&1 || scripts/apt-install wrk
	$(BIN)/python bench/speed_bench.py $(BENCH_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

migrations-check: setup
	scripts/check-migrations

clean:
	rm -rf $(VENV) $(TOOLS) instance .pytest_cache
