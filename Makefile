# The two commands that matter: `make demo` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
MANAGE := DEBUG=$${DEBUG:-true} $(PY) manage.py
PYTEST_WORKERS ?= auto

.PHONY: install demo serve test lint bench-synthetic clean

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

demo: install
	mkdir -p var
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	@echo "Serving the demo partnership on http://127.0.0.1:8000 (Ctrl+C to stop)"
	$(MANAGE) runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: install lint
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile -q

bench-synthetic: install
	$(PY) bench/synthetic.py --region

clean:
	rm -rf $(VENV) node_modules build var
