"""What every platform's PyInstaller spec of Workbench shares (imported by the specs).

The Windows and macOS specs (``packaging/windows/``, ``packaging/macos/``) build from these
lists, and so does ``packaging/workbench.spec`` (Linux), adding its own Linux-only parts. Why
each entry is needed is said in ``packaging/workbench.spec``: the app's modules are imported by
name at run time (so every submodule is listed), migrations/ and resources/ go to
``workbench/_data/`` where ``workbench.bundled.data_dir`` looks, the metadata read at run time
(the version), and the data files of the extractors' libraries. Standard library and
PyInstaller only.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "build" / "icons"  # made by packaging/make_icons.py before the build

DATA_PACKAGES = ("weasyprint", "pyphen", "trafilatura", "justext", "py3langid", "htmldate",
                 "courlan", "tld", "dateparser", "confusable_homoglyphs", "docx", "odf")

EXCLUDES = [
    "tkinter", "_tkinter", "pytest", "_pytest", "hypothesis", "mypy", "ruff", "fpdf",
    "PyInstaller", "IPython", "matplotlib", "pygments", "setuptools", "pkg_resources",
    "distutils", "numpy.distutils", "mako.testing", "mako.ext", "lxml.objectify",
    "PIL._avif", "PIL.AvifImagePlugin", "PIL.ImageTk", "readline",
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtWebEngineQuick",
    "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.Qt3DCore",
    "PySide6.QtMultimedia", "PySide6.QtNetworkAuth", "PySide6.QtCharts",
    "PySide6.QtDataVisualization", "PySide6.QtSql", "PySide6.QtTest",
]

# Parts of collected paths nothing in Workbench loads, on any platform (the Linux spec says
# why for each): Qt's QML/virtual keyboard, network information and TLS back-ends (the app
# is offline), translations (the UI installs none), and most of Babel's and Pyphen's data.
UNWANTED = ("/__pycache__/", "virtualkeyboard", "VirtualKeyboard", "Qt6Qml", "Qt6Quick",
            "QtQml", "QtQuick", "/plugins/networkinformation/", "/plugins/tls/",
            "/Qt/translations/", "/translations/qt")
KEPT_LOCALES = ("root.dat", "en.dat")


def version() -> str:
    """The one version number, from pyproject.toml."""
    with open(ROOT / "pyproject.toml", "rb") as fh:
        number: str = tomllib.load(fh)["project"]["version"]
    return number


def hiddenimports() -> list[str]:
    from PyInstaller.utils.hooks import collect_submodules

    # psycopg is loaded by SQLAlchemy's dialect by name, so no import statement names it.
    return collect_submodules("workbench") + collect_submodules("ui") + ["psycopg"]


def datas() -> list[tuple[str, str]]:
    from PyInstaller.utils.hooks import collect_data_files, copy_metadata

    out = [(str(ROOT / "migrations"), "workbench/_data/migrations"),
           (str(ROOT / "resources"), "workbench/_data/resources")]
    out += copy_metadata("workbench")
    for package in DATA_PACKAGES:
        out += collect_data_files(package)
    return out


def unwanted(dest: str, platform_parts: tuple[str, ...] = ()) -> bool:
    """Whether a collected file (its path inside the build) is left out."""
    path = "/" + dest.replace("\\", "/")
    if any(part in path for part in UNWANTED + platform_parts):
        return True
    if "/babel/locale-data/" in path:
        return not path.endswith(KEPT_LOCALES)
    if "/pyphen/dictionaries/" in path:  # hyphenation: the export's CSS never asks for it
        return "/hyph_en" not in path
    return False


def keep(toc: list[tuple[str, str, str]], platform_parts: tuple[str, ...] = ()
         ) -> list[tuple[str, str, str]]:
    return [entry for entry in toc if not unwanted(entry[0], platform_parts)]
