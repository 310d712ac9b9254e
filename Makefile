# The two commands that matter: `make demo` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
MANAGE := DEBUG=$${DEBUG:-true} $(PY) manage.py
PYTEST_WORKERS ?= auto

.PHONY: install demo serve test lint bench-synthetic bench-training bench-linkage bench-suppression clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check "uv==0.13.9"

# Python dependencies from the lock; re-synced only when the lock changes.
$(VENV)/.synced: requirements.lock $(VENV)/bin/activate
	$(UV) pip sync --quiet --python $(PY) requirements.lock
	touch $@

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Front-end assets compiled from GOV.UK Frontend's Sass with the partnership's branding.
build/static/.built: node_modules/.package-lock.json $(shell find assets -type f 2>/dev/null)
	npm run --silent build
	touch $@

install: $(VENV)/.synced build/static/.built

# The demo runs with production settings (DEBUG off, strict headers, compiled static files) over
# plain HTTP on this machine only; its secret key is generated once and kept in var/.
DEMO_ENV = DEBUG=false SECRET_KEY="$$(cat var/demo-secret-key)" SECURE_COOKIES=false \
	SITE_URL=http://127.0.0.1:8000 \
	ALLOWED_HOSTS=127.0.0.1,localhost DEMO_NOTICE=true

var/demo-secret-key:
	mkdir -p var
	$(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

demo: install var/demo-secret-key
	$(DEMO_ENV) $(PY) manage.py migrate --no-input
	$(DEMO_ENV) $(PY) manage.py collectstatic --no-input -v 0
	$(DEMO_ENV) $(PY) manage.py load_demo
	@echo "Serving the demo partnership on http://127.0.0.1:8000 (Ctrl+C to stop)"
	@# Background tasks (health-records linkage runs started in the web UI) need a worker.
	$(DEMO_ENV) $(PY) manage.py db_worker --no-startup-delay -v 0 & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# ruff, and the import contracts between apps (pyproject.toml [tool.importlinter]).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	PYTHONPATH=src $(VENV)/bin/lint-imports --no-cache

test: install lint
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile -q

bench-synthetic: install
	$(PY) bench/synthetic.py --region

# Linkage of GP and health visiting extracts at 10k, 100k and 1M children (1M takes a while).
bench-linkage: install
	$(PY) bench/linkage.py --million --also-seeds 2

# Training statistics, charges and the public programme on a county-scale database (built once
# in var/; also on PostgreSQL when DATABASE_URL is set); writes docs/bench-training.md.
bench-training: install
	$(PY) bench/training_statistics.py

# Small-number suppression on breakdown-sized tables and a whole health-records run;
# writes docs/bench-suppression.md.
bench-suppression: install
	PYTHONPATH=src $(PY) bench/suppression.py --runs 3

clean:
	rm -rf $(VENV) node_modules build var
