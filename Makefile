# Two commands for a newcomer: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
EXAMPLES := examples/manifests

.PHONY: demo test lint bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/livesnap apply --sandbox --auto-approve $(EXAMPLES)
	$(BIN)/livesnap plan --sandbox --detailed-exitcode $(EXAMPLES)

test: $(VENV)/.installed-test
	$(BIN)/ruff check livesnap_reconcile tests bench
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest -n 2

lint: test
	$(BIN)/mypy livesnap_reconcile

bench: $(VENV)/.installed-test
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) .livesnap build *.egg-info
