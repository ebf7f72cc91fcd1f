"""How to start a Python worker process from this installation, and how such a process starts.

Workbench runs some work in child processes of its own (the isolated extractors, the PDF
layout workers). From source, or a pip install, the child is this interpreter:
``sys.executable -m MODULE``. In the standalone build ``sys.executable`` is the ``Workbench``
executable, which knows no ``-m`` or ``-c``: the child is that executable with the internal
switch ``--workbench-internal-run``, which its entry point (``workbench.frozen``) hands to
``run_internal`` before the command line is parsed. The switch is not a command: users never
type it, so it is kept out of the CLI's parser and its documentation.

(``multiprocessing``'s spawn needs none of this: ``multiprocessing.freeze_support()`` in the
frozen entry point starts its children.)
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import runpy
import sys
import types

INTERNAL_SWITCH = "--workbench-internal-run"

# Runs a module's file by path in a clean interpreter, then calls one of its functions.
_BOOT = ("import runpy, sys; "
         "runpy.run_path(sys.argv[1], run_name='__workbench_worker__')[sys.argv[2]]()")
_RUN_NAME = "__workbench_worker__"


def is_frozen() -> bool:
    """Whether this is the standalone build (PyInstaller sets ``sys.frozen``)."""
    return bool(getattr(sys, "frozen", False))


def module_command(module: str, *args: str) -> list[str]:
    """The command that runs ``python -m module args`` in this installation."""
    if is_frozen():
        return [sys.executable, INTERNAL_SWITCH, "module", module, *args]
    return [sys.executable, "-m", module, *args]


def standalone_call(module: str, function: str) -> list[str]:
    """The command that runs the file of ``module`` on its own and calls its ``function()``.

    For a worker that must not pay for importing its package (its ``__init__`` may import
    much more than the worker needs): the file is executed as a module of its own name, not
    as part of the package. From source the interpreter runs with ``-I`` (no current folder
    or user site-packages on ``sys.path``).
    """
    if is_frozen():
        return [sys.executable, INTERNAL_SWITCH, "call", module, function]
    loaded = sys.modules.get(module)
    origin = getattr(loaded, "__file__", None)
    if origin is None:
        spec = importlib.util.find_spec(module)
        origin = spec.origin if spec is not None else None
    if origin is None:
        raise ModuleNotFoundError(f"no file for the worker module {module}")
    return [sys.executable, "-I", "-c", _BOOT, os.path.realpath(origin), function]


# --- in the child --------------------------------------------------------------------------

def run_internal(argv: list[str]) -> None:
    """Run the worker ``argv`` asks for and exit; return at once if ``argv`` is not one.

    ``argv`` is the command line after the program name.
    """
    if not argv or argv[0] != INTERNAL_SWITCH:
        return
    if len(argv) >= 3 and argv[1] == "module":
        module, args = argv[2], argv[3:]
        sys.argv = [module, *args]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        raise SystemExit(0)
    if len(argv) == 4 and argv[1] == "call":
        _call(argv[2], argv[3])
        raise SystemExit(0)
    sys.stderr.write(f"workbench: error: {INTERNAL_SWITCH} is internal: it starts Workbench's "
                     "own worker processes (expected 'module NAME [ARGS]' or "
                     "'call NAME FUNCTION')\n")
    raise SystemExit(2)


def _call(module: str, function: str) -> None:
    """Execute the code of ``module`` without importing its package, then call ``function``.

    The module is found by walking the package folders with the path finders (which work
    on the frozen build's archive and on the file system alike), without running any
    package's ``__init__``.
    """
    spec = None
    search: list[str] | None = None
    parts = module.split(".")
    for i in range(len(parts)):
        spec = importlib.machinery.PathFinder.find_spec(".".join(parts[:i + 1]), search)
        if spec is None:
            raise SystemExit(f"workbench: error: no worker module {module}")
        search = list(spec.submodule_search_locations or [])
    assert spec is not None and spec.loader is not None
    code = spec.loader.get_code(module)  # type: ignore[attr-defined]
    worker = types.ModuleType(_RUN_NAME)
    worker.__file__ = spec.origin
    # Registered under its own name while it runs, as runpy does: dataclasses and pickle
    # look a class's module up in sys.modules.
    sys.modules[_RUN_NAME] = worker
    sys.argv = [spec.origin or module]
    exec(code, worker.__dict__)
    getattr(worker, function)()
