# notinschool: `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.12 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEMO_CHILDREN ?= 2000
DEMO_SEED ?= 7
DEBIAN_PACKAGES := chromium fonts-liberation libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b poppler-utils

.PHONY: help demo test lint typecheck migrations-check bench debian clean lock static backup-check

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

debian: ## install the Debian packages the project needs (as root), or name the missing ones
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "Please install these Debian packages: $$missing"; fi

$(BIN)/notinschool: requirements/dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip uv
	$(BIN)/uv pip sync -q --python $(BIN)/python requirements/dev.txt
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

STATIC_BUILT := notinschool/web/static/build/app.css

static: $(STATIC_BUILT) ## compile the GOV.UK Frontend styles and scripts (again only when a source changed)

# Built only when a source is newer: test runs side by side in CI must not empty the folder
# (the build starts by removing it) under another run's browser.
$(STATIC_BUILT): node_modules/.package-lock.json frontend/build.mjs $(shell find frontend/scss -type f)
	npm run --silent build

lock: ## re-lock the Python dependencies (requirements/dev.txt) from pyproject.toml
	uv pip compile -q pyproject.toml --extra dev --python-version 3.12 -o requirements/dev.txt
	uv pip compile -q pyproject.toml --python-version 3.12 -o requirements/base.txt

demo: debian $(BIN)/notinschool static ## run the demo: synthetic authority on SQLite, http://127.0.0.1:8000
	@mkdir -p var/demo
	cd var/demo && rm -f notinschool.sqlite3* && \
	  ../../$(BIN)/notinschool synth --children $(DEMO_CHILDREN) --seed $(DEMO_SEED) --out data && \
	  ../../$(BIN)/notinschool demo_load data && \
	  ../../$(BIN)/notinschool seed_demo_users
	cd var/demo && ../../$(BIN)/notinschool runserver 127.0.0.1:8000 --insecure

test: debian $(BIN)/notinschool static ## run the whole test suite (DATABASE_URL picks the database; SQLite by default)
	$(BIN)/pytest -q -p no:randomly

lint: $(BIN)/notinschool ## ruff, and the import contracts (docs/adr/0008-layers-and-the-workflow.md)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

typecheck: $(BIN)/notinschool ## mypy
	$(BIN)/mypy notinschool config

migrations-check: $(BIN)/notinschool ## fail when a model change has no migration
	$(BIN)/python manage.py makemigrations --check --dry-run

bench: $(BIN)/notinschool ## run the benchmarks in bench/ (PostgreSQL via DATABASE_URL)
	$(BIN)/python -m bench

backup-check: $(BIN)/notinschool ## back up a synthetic register on PostgreSQL, restore it into a fresh database, compare
	deploy/backup-check

clean: ## remove the environment and build output
	rm -rf $(VENV) node_modules notinschool/web/static/build var
