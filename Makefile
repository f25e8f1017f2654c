# Concordat: `make run` serves the demo on http://127.0.0.1:8000; `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-slow prod-check load install assets browser migrate demo serve lint bench clean

# Links in emails point where the demo is served. Static files come from whitenoise (var/static, collected by
# `assets`), as in production, whether or not DEBUG=1 is set.
run: export CONCORDAT_BASE_URL = http://$(HOST):$(PORT)
# The demo (its people, printed one-time codes and demo key) is on only here: settings fail closed elsewhere.
run migrate demo: export CONCORDAT_DEMO = 1
run: install assets migrate demo
	@$(PY) manage.py demo_instructions
	$(PY) manage.py runserver --nostatic $(HOST):$(PORT)

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed
	npm run --silent build
	$(PY) manage.py collectstatic --noinput -v0

# The demo's audit keys (ADR 17) in var/keys, created once: the MAC key and each party's checkpoint key pair.
migrate: install
	@mkdir -p var
	$(PY) manage.py create_audit_keys
	$(PY) manage.py create_vault_key
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_protocol

demo: install
	$(PY) manage.py seed_demo

# The page tests drive Debian's Chromium through Playwright (never a downloaded browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the page tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# CI builds once, then runs the SQLite and PostgreSQL suites side by side with TEST_PREREQS= (.ci/run).
TEST_PREREQS ?= install assets browser
test: $(TEST_PREREQS)
	$(PY) -m pytest $(PYTEST_ARGS)

# Crash safety (ADR 40): real gunicorn and Celery processes on a fresh PostgreSQL database and the machine's Redis,
# killed with SIGKILL mid-request and mid-task. Marked `slow`, so `make test` leaves them out.
test-slow: install assets
	$(PY) -m pytest tests/slow -m slow -p no:xdist -q $(PYTEST_ARGS)

# The production profile on this machine (ADR 39): deploy checks, two gunicorn instances, a Celery worker and
# beat on a fresh PostgreSQL database and Redis, readiness, a sign-in through each; everything stopped afterwards.
prod-check: install assets
	deploy/prod-check.sh

# The same, then Locust headless: 50 users for 60 s, a mix of pages, API lists, transitions and downloads (bench/load).
load: install assets
	LOAD=1 deploy/prod-check.sh

lint: install
	$(VENV)/bin/ruff check .

bench: install
	$(PY) bench/clock.py
	$(PY) bench/vault.py

clean:
	rm -rf $(VENV) node_modules var concordat/static/govuk concordat/static/concordat/concordat.css*
