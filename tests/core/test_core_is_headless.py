"""The core is a library: importing every workbench module never loads Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_qt_in_the_core() -> None:
    code = (
        "import importlib, pkgutil, sys, workbench\n"
        "for m in pkgutil.walk_packages(workbench.__path__, 'workbench.'):\n"
        "    if not m.name.endswith('.__main__'):\n"
        "        importlib.import_module(m.name)\n"
        "qt = ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6')\n"
        "bad = [n for n in sys.modules if n.split('.')[0] in qt]\n"
        "print(len([n for n in sys.modules if n.startswith('workbench')]))\n"
        "assert not bad, bad\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.strip()) > 20  # really walked the package
