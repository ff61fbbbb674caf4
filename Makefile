# Inspection Workbook: two commands on a fresh Debian machine with Python 3.11.
#   make run   sets up .venv and opens the inspectors' workbook (JupyterLab) on the demo inspection
#   make test  sets up .venv, the system packages the tests use, and runs every test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8888
VOILA_PORT ?= 8866
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
ifndef TOKEN
TOKEN := $(shell $(PYTHON) -c 'import secrets; print(secrets.token_hex(16))')
endif

.PHONY: run test dashboard trainer system lint bench demo clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.run-installed: pyproject.toml | $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.run-installed

# Debian packages the tests drive for real: Chromium (headless browser) and PostgreSQL (throwaway server).
system:
	@if ! command -v chromium >/dev/null || [ ! -x "$$(pg_config --bindir 2>/dev/null)/initdb" ]; then \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium postgresql; fi

demo: $(VENV)/.run-installed
	$(PY) -m workbook demo --load

run: $(VENV)/.run-installed demo
	$(PY) -m workbook rate --inspection demo-wwm-2019 --by ldu
	@echo
	@echo "Opening the inspectors' workbook: http://$(HOST):$(PORT)/lab/tree/inspect.ipynb?token=$(TOKEN)"
	$(VENV)/bin/jupyter lab --no-browser $(ROOT_FLAG) --ServerApp.ip=$(HOST) --ServerApp.port=$(PORT) \
		--IdentityProvider.token=$(TOKEN) --ServerApp.root_dir=notebooks \
		--LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate

# Voilà reads voila.json from the current folder: serve from the repository, not from notebooks/.
VOILA := WORKBOOK_MODE=dashboard JUPYTER_PATH=$(CURDIR)/workbook/templates $(VENV)/bin/voila --no-browser \
	--Voila.ip=$(HOST) --Voila.port=$(VOILA_PORT) --template=workbook

dashboard: $(VENV)/.run-installed demo
	@echo "Stakeholders' dashboard: http://$(HOST):$(VOILA_PORT)/"
	$(VOILA) notebooks/dashboard.ipynb

# The trainers' page reads its own settings first (workbook/templates/voila/trainer/voila.json:
# a policy with 'unsafe-eval' and blob: scripts for the offline Altair widget), then voila.json.
trainer: $(VENV)/.run-installed demo
	@echo "Trainers' notebook: http://$(HOST):$(VOILA_PORT)/"
	$(VOILA) --Voila.config_file_paths=$(CURDIR)/workbook/templates/voila/trainer \
		--Voila.config_file_paths=$(CURDIR) notebooks/methodology.ipynb

# npm packages the browser tests inject into pages (axe-core), from the registry, never a CDN.
tests/node_modules/.installed: tests/package.json tests/package-lock.json
	cd tests && npm ci --no-audit --no-fund --silent
	touch $@

test: system $(VENV)/.test-installed tests/node_modules/.installed
	$(PY) -m ruff format --check workbook tests
	$(PY) -m ruff check workbook tests
	$(PY) -m pytest

bench: $(VENV)/.test-installed
	for area in ratings samples store ui dashboard; do $(PY) -m workbook.bench $$area; done

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache tests/node_modules
