# Workbench: `make run` sets up and opens the app; `make test` sets up and runs every check.
PY ?= python3
VENV := .venv
UV_VERSION := 0.13.8
export QT_QPA_PLATFORM ?= $(if $(DISPLAY)$(WAYLAND_DISPLAY),,offscreen)

.PHONY: run test setup system-deps lint typecheck pytest pytest-pg dist dist-check bench lock clean

run: setup
	$(VENV)/bin/workbench gui

# The standalone build's smoke test runs last, after the test suite.
test: setup lint typecheck pytest
	@$(MAKE) --no-print-directory dist-check

system-deps:
	@bash packaging/install-system-deps.sh

$(VENV)/.installed: requirements.lock pyproject.toml | system-deps
	test -x $(VENV)/bin/python || $(PY) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --disable-pip-version-check "uv==$(UV_VERSION)"
	$(VENV)/bin/uv pip sync -q --compile-bytecode -p $(VENV)/bin/python requirements.lock
	$(VENV)/bin/uv pip install -q -p $(VENV)/bin/python --no-deps -e .
	touch $@

setup: system-deps $(VENV)/.installed

lint:
	$(VENV)/bin/ruff check .

typecheck:
	$(VENV)/bin/mypy

# Timing-sensitive tests (the GUI heartbeat) run alone, after the parallel runs.
pytest:
	$(VENV)/bin/pytest -n 2 --dist loadfile -q -m "not serial"
	@$(MAKE) --no-print-directory pytest-pg
	$(VENV)/bin/pytest -q -m serial

# The core tests whose library comes from the test fixtures, again on PostgreSQL: each library
# a shared one on a throwaway cluster per worker (tests/conftest.py, tests/support/libraries.py).
# Tests of what only a SQLite file has are skipped there, each with its reason (sqlite_only).
# Without the server binaries they skip, unless WORKBENCH_REQUIRE_POSTGRES=1 (CI: .ci/run).
pytest-pg:
	WORKBENCH_TEST_DATABASE=postgres $(VENV)/bin/pytest -n 2 --dist loadfile -q \
		-m "not serial and not postgres" tests/core

# The standalone Linux app: dist/Workbench-<version>-linux-<arch>.tar.gz (packaging/build_dist.py).
dist: setup
	$(VENV)/bin/python packaging/build_dist.py

# That archive unpacked outside the checkout and run as a user would (by the system python3).
dist-check: dist
	$(PY) packaging/smoke_test.py --source-exe $(VENV)/bin/workbench

bench: setup
	$(VENV)/bin/python tests/bench/bench_import.py

# Re-pin every dependency (after editing pyproject.toml).
lock:
	$(VENV)/bin/uv pip compile -q pyproject.toml --extra dev --extra dist --generate-hashes -p $(VENV)/bin/python -o requirements.lock

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
