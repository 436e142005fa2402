# Pilot Tracker: every command a developer or CI runs. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
DEMO_PASSWORD ?= demo
HOST ?= 127.0.0.1:8000
# Development targets run with DEBUG on; DEBUG is off unless set (tracker/settings.py).
DEV := DEBUG=1

.DEFAULT_GOAL := help
.PHONY: help install messages migrate seed run test test-fast test-browser lint format check-deploy bench loadtest clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet ".[dev]"
	touch $(STAMP)

install: $(STAMP) ## Create or reuse .venv and install the project's dependencies

messages: $(STAMP) ## Compile the zh-hans translation catalogue (needs GNU gettext's msgfmt)
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: install gettext (apt-get install -y gettext)"; exit 1; }
	$(DEV) $(PY) manage.py compilemessages --ignore=.venv -v0

migrate: messages ## Apply database migrations
	$(DEV) $(PY) manage.py migrate --noinput -v0

seed: migrate ## Load the demo data (idempotent)
	$(DEV) $(PY) manage.py seed_demo --password $(DEMO_PASSWORD)

run: seed ## Set everything up, load the demo data and serve at http://$(HOST)/
	@echo "Demo accounts (password: $(DEMO_PASSWORD)): admin (superuser), manager (Chengdu zone manager), staff (Hummingbird platform), staff2 (another Chengdu platform)"
	$(DEV) $(PY) manage.py runserver $(HOST)

test: messages ## Run the whole test suite (browser tests too when Chromium is installed)
	$(DEV) $(PY) manage.py makemigrations --check --dry-run -v0
	$(DEV) $(PY) -m pytest -q $(PYTEST_ARGS)

test-fast: messages ## Run the suite without the browser tests
	$(DEV) $(PY) -m pytest -q -m "not browser" $(PYTEST_ARGS)

test-browser: messages ## Run only the browser tests (Playwright + /usr/bin/chromium)
	$(DEV) $(PY) -m pytest -q tests/browser $(PYTEST_ARGS)

lint: $(STAMP) ## ruff check and ruff format --check
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP) ## Apply ruff's fixes and formatting
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

check-deploy: $(STAMP) ## Django's deployment checks with production settings
	DEBUG=0 SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') ALLOWED_HOSTS=tracker.example.cn \
		$(PY) manage.py check --deploy --fail-level WARNING

bench: messages ## Benchmarks on 1,000,000 generated projects (slow; never part of make test)
	$(DEV) $(PY) -m benchmarks.run $(BENCH_ARGS)

loadtest: messages ## Load test: gunicorn + PostgreSQL + Redis under 60 s of mixed traffic (slow; never part of make test)
	$(PY) -m benchmarks.loadtest.run

clean: ## Remove the virtualenv, the SQLite database and collected static files
	rm -rf $(VENV) db.sqlite3 staticfiles
