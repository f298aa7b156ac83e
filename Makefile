# The two set-up commands of the README:
#   make run    installs into .venv/ and starts the app on the embedded defaults
#   make test   installs everything (test tools, chromium, local LLM runtime) and runs the whole suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip

.PHONY: run test install install-test browser clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install torch==2.13.0

$(VENV)/.installed: $(PY) pyproject.toml
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PIP) install -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test browser

browser:
	bash scripts/install-browser.sh

run: install
	$(PY) app.py

test: install-test
	$(PY) -m pytest

clean:
	rm -rf $(VENV)
