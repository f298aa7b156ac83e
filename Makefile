# The two set-up commands of the README:
#   make run    installs into .venv/ and starts the app on the embedded defaults
#   make test   installs everything (test tools, chromium, local LLM runtime) and runs the whole suite
# and the loop while working:
#   make test-fast   every test not marked slow: no real browser, no LLM runtime, no `chroma run` server,
#                    no eval gate (the real embedding model and embedded Chroma stay). Installs only the
#                    test tools. 440 tests in 25-35 s wall time on this 2-core machine (2026-12-01;
#                    35 s while another suite ran beside it); `make test` takes 4-5 minutes of tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip

.PHONY: run test test-fast install install-test browser clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install torch==2.13.0

$(VENV)/.installed: $(PY) pyproject.toml
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-test-fast: $(VENV)/.installed pyproject.toml
	$(PIP) install -e '.[test-fast]'
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

test-fast: $(VENV)/.installed-test-fast
	$(PY) -m pytest -m "not slow"

clean:
	rm -rf $(VENV)
