"""Tests that need an optional system program: without it they skip, saying which program is
missing and how to add it (the app's own words, ``workbench.system_tools``, for the tools the
app uses), so ``make test`` passes for a user who cannot install it. In CI (``CI=true``) a
missing program fails the test instead: there the packages are installed, and a check that
silently stopped running would prove nothing.
"""

from __future__ import annotations

import os
import shutil

import pytest

# Programs only the tests use, and their Debian packages (packaging/debian-packages.txt).
_TEST_ONLY = {"soffice": "libreoffice-writer-nogui", "xvfb-run": "xvfb"}


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def missing_reason(program: str) -> str:
    from workbench.system_tools import TOOLS

    for tool in TOOLS:
        if tool.name == program:
            return f"{tool.title} is not installed; {tool.hint}"
    package = _TEST_ONLY.get(program, program)
    return f"{program} is not installed; to add it: sudo apt-get install -y {package}"


def require_program(program: str) -> str:
    """The path of ``program``; else skip the test with the reason (fail it in CI)."""
    exe = shutil.which(program)
    if exe is not None:
        return exe
    reason = missing_reason(program)
    if in_ci():
        pytest.fail(f"{reason} (CI=true: CI must have it)")
    pytest.skip(reason)
