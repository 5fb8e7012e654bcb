# Two commands for a newcomer: `make demo` and `make test`. Both create .venv on first use and install
# the exact versions locked in requirements/ (pip, setuptools and every dependency, hash-checked).
# `make lock` regenerates the locks; `make test-latest` and `make test-oldest` run the same suite against
# the newest and the lowest versions pyproject.toml allows, each in its own venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
EXAMPLES := examples/manifests
REQ := requirements
# Downloads are checked against real TLS certificates, so under `faketime` (how the suite is run on
# other dates, see docs/testing.md) installers run on the real clock and only the suite on the faked one.
REAL_CLOCK := $(if $(FAKETIME),env -u LD_PRELOAD -u FAKETIME -u FAKETIME_SHARED)
PIP := $(REAL_CLOCK) $(PY) -m pip install -q --disable-pip-version-check

# uv makes the locks and the latest/oldest venvs; `make test` and `make demo` need only pip.
TOOLS := .venv-tools
UV := $(TOOLS)/bin/uv
LOCK := $(REAL_CLOCK) $(UV) pip compile -q --universal --python-version 3.11 --generate-hashes --custom-compile-command 'make lock'

.PHONY: demo test test-latest test-oldest venv-latest venv-oldest lock lock-upgrade bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# pip and setuptools first, then the locked dependencies, then this package built by that setuptools:
# no step fetches an unpinned build backend (--no-build-isolation also covers the locked sdists).
$(VENV)/.installed: pyproject.toml $(REQ)/build.lock $(REQ)/runtime.lock | $(PY)
	$(PIP) -r $(REQ)/build.lock
	$(PIP) --no-build-isolation -r $(REQ)/runtime.lock
	$(PIP) --no-build-isolation --no-deps -e .
	$(PY) -m pip check
	touch $@

$(VENV)/.installed-test: pyproject.toml $(REQ)/build.lock $(REQ)/test.lock | $(PY)
	$(PIP) -r $(REQ)/build.lock
	$(PIP) --no-build-isolation -r $(REQ)/test.lock
	$(PIP) --no-build-isolation --no-deps -e .
	$(PY) -m pip check
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/livesnap apply --sandbox --auto-approve $(EXAMPLES)
	$(BIN)/livesnap plan --sandbox --detailed-exitcode $(EXAMPLES)

# The suite, one recipe for the three venvs it runs in.
test: TEST_BIN := $(BIN)
test: $(VENV)/.installed-test
test-latest: TEST_BIN := .venv-latest/bin
test-latest: venv-latest
test-oldest: TEST_BIN := .venv-oldest/bin
test-oldest: venv-oldest
test test-latest test-oldest:
	$(TEST_BIN)/ruff check livesnap_reconcile tests bench
	$(TEST_BIN)/lint-imports --no-cache
	$(TEST_BIN)/mypy livesnap_reconcile
	$(TEST_BIN)/pytest -n 2

# Resolved afresh on every run (uv caches downloads); what was installed is left in .venv-*/requirements.txt.
# lowest-direct: the lower bound of each dependency pyproject.toml names, the newest of what they pull in.
venv-latest: RESOLUTION := highest
venv-oldest: RESOLUTION := lowest-direct
venv-latest venv-oldest: venv-%: | $(UV)
	test -x .venv-$*/bin/python || $(PYTHON) -m venv .venv-$*
	$(REAL_CLOCK) $(UV) pip compile -q --upgrade --resolution $(RESOLUTION) --python .venv-$*/bin/python \
	  pyproject.toml --extra test -o .venv-$*/requirements.txt
	$(REAL_CLOCK) $(UV) pip sync -q --python .venv-$*/bin/python .venv-$*/requirements.txt
	$(REAL_CLOCK) $(UV) pip install -q --python .venv-$*/bin/python --resolution $(RESOLUTION) --no-deps -e .

$(UV): $(REQ)/tools.lock
	test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(REAL_CLOCK) $(TOOLS)/bin/python -m pip install -q --disable-pip-version-check -r $(REQ)/tools.lock
	touch $@

# test.lock first; runtime.lock is constrained to it, so both files pin shared packages to one version.
# `make lock` keeps the current pins that pyproject.toml still allows; `make lock-upgrade` takes the newest.
lock: | $(UV)
	$(LOCK) $(LOCK_FLAGS) pyproject.toml --extra test -o $(REQ)/test.lock
	$(LOCK) $(LOCK_FLAGS) pyproject.toml -c $(REQ)/test.lock -o $(REQ)/runtime.lock
	$(LOCK) $(LOCK_FLAGS) $(REQ)/build.in -o $(REQ)/build.lock
	$(LOCK) $(LOCK_FLAGS) $(REQ)/tools.in -o $(REQ)/tools.lock

lock-upgrade: LOCK_FLAGS := --upgrade
lock-upgrade: lock

bench: $(VENV)/.installed-test
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) .venv-latest .venv-oldest $(TOOLS) .livesnap build *.egg-info
