# Workbench: `make run` sets up and opens the app; `make test` sets up and runs every check.
PY ?= python3
VENV := .venv
UV_VERSION := 0.13.8
export QT_QPA_PLATFORM ?= $(if $(DISPLAY)$(WAYLAND_DISPLAY),,offscreen)

.PHONY: run test setup system-deps lint typecheck pytest bench lock clean

run: setup
	$(VENV)/bin/workbench gui

test: setup lint typecheck pytest

system-deps:
	@bash packaging/install-system-deps.sh

$(VENV)/.installed: requirements.lock pyproject.toml | system-deps
	test -x $(VENV)/bin/python || $(PY) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --disable-pip-version-check "uv==$(UV_VERSION)"
	$(VENV)/bin/uv pip sync -q -p $(VENV)/bin/python requirements.lock
	$(VENV)/bin/uv pip install -q -p $(VENV)/bin/python --no-deps -e .
	touch $@

setup: system-deps $(VENV)/.installed

lint:
	$(VENV)/bin/ruff check .

typecheck:
	$(VENV)/bin/mypy

# Timing-sensitive tests (the GUI heartbeat) run alone, after the parallel run.
pytest:
	$(VENV)/bin/pytest -n 2 --dist loadfile -q -m "not serial"
	$(VENV)/bin/pytest -q -m serial

bench: setup
	$(VENV)/bin/python tests/bench/bench_import.py

# Re-pin every dependency (after editing pyproject.toml).
lock:
	$(VENV)/bin/uv pip compile -q pyproject.toml --extra dev --extra dist --generate-hashes -p $(VENV)/bin/python -o requirements.lock

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
