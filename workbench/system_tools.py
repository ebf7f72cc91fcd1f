"""Which optional system tools this machine has: what each enables, what is lost without it,
and how to add it.

Workbench runs without them; a feature that needs one says so in these words instead of
failing. ``report()`` is ``workbench doctor --json`` and Help → Optional tools;
``require(name, doing)`` raises ``MissingTool`` where a feature cannot go on without its tool
(OCR, PDF export); ``leak_check_notes`` says which reading a leak check could not do; and
``Tool.short_hint`` is the hint inside a stored import problem (a scan without Tesseract).

The tools are probed the way their users find them: Tesseract through ``extract.ocr`` (the
same ``PATH`` lookup and pytesseract calls OCR makes), pdftotext on ``PATH`` (as
``redact.decode_pdf`` runs it), and WeasyPrint's shared libraries by the names WeasyPrint
itself opens them by (``weasyprint/text/ffi.py``), so a standalone build that bundles them is
probed as it will run. Nothing here imports WeasyPrint: its import costs about a second and
fails outright without Pango. The Debian package names are those of
``packaging/debian-packages.txt`` (tests/packaging/test_system_deps.py checks they agree).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .errors import MissingTool

APT = "sudo apt-get install -y"


@dataclass(frozen=True)
class Probe:
    """What was found: whether the tool works here, its version, and tool-specific facts
    (``extra``, merged into the report: Tesseract's ``languages``)."""

    available: bool
    version: str | None = None
    detail: str | None = None  # what was found missing, or anything worth a line
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Tool:
    name: str  # as in the report: "tesseract"
    title: str  # as in a sentence: "Tesseract"
    enables: str
    missing_effect: str
    debian: tuple[str, ...]
    other_systems: str
    short_hint: str  # for a one-line problem: names the tool and the Debian package
    probe: Callable[[], Probe]
    instead: str = ""  # what still works without it, for an error's message

    @property
    def apt(self) -> str:
        return f"{APT} {' '.join(self.debian)}"

    @property
    def hint(self) -> str:
        """How to add it, for an error's hint."""
        return f"to add it: {self.apt} (Debian, Ubuntu); elsewhere: {self.other_systems}"

    def to_json(self, probe: Probe) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "available": probe.available,
                "version": probe.version if probe.available else None, "detail": probe.detail,
                "enables": self.enables, "missing_effect": self.missing_effect,
                "install": {"debian_packages": list(self.debian), "apt": self.apt,
                            "other_systems": self.other_systems}, **probe.extra}


# --- probes ----------------------------------------------------------------------------------


def _tesseract() -> Probe:
    from .extract import ocr

    if not ocr.available():
        return Probe(False, detail="the tesseract program is not on the PATH",
                     extra={"languages": []})
    try:
        version = ocr.engine_version().removeprefix("tesseract-")
        languages = sorted(ocr.installed_languages())
    except Exception as exc:  # a broken install: reported, never a crash of the report
        return Probe(False, detail=f"tesseract is on the PATH but does not run ({exc})",
                     extra={"languages": []})
    detail = None if languages else "no language data is installed (tesseract-ocr-eng)"
    return Probe(bool(languages), version, detail, {"languages": languages})


def _pdftotext() -> Probe:
    exe = shutil.which("pdftotext")
    if exe is None:
        return Probe(False, detail="the pdftotext program is not on the PATH")
    try:
        out = subprocess.run([exe, "-v"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Probe(False, detail=f"pdftotext does not run ({exc})")
    found = re.search(r"version (\d[\w.]*)", out.stdout + out.stderr)
    return Probe(True, found.group(1) if found else None)


def load_library(names: tuple[str, ...]) -> Any:
    """The shared library by the first of ``names`` that loads (as WeasyPrint tries them,
    then through ``ctypes.util.find_library``), else None."""
    for name in names:
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    for name in names:
        path = ctypes.util.find_library(name)
        if path:
            try:
                return ctypes.CDLL(path)
            except OSError:
                continue
    return None


def _names(stem: str, so: str) -> tuple[str, ...]:
    """WeasyPrint's names for a library: ``_names("pango-1.0", "0")``."""
    return (f"lib{stem}.so.{so}", f"lib{stem}-{so}", f"{stem}-{so}", stem, f"lib{stem}.dylib",
            f"lib{stem}.{so}.dylib", f"lib{stem}-{so}.dll")


# What WeasyPrint opens at import (it fails without any of them).
_WEASYPRINT_LIBS = {"Pango": _names("pango-1.0", "0"), "PangoFT2": _names("pangoft2-1.0", "0"),
                    "GObject": _names("gobject-2.0", "0"), "HarfBuzz": _names("harfbuzz", "0"),
                    "Fontconfig": _names("fontconfig", "1")}


def _version_string(lib: Any, function: str) -> str | None:
    try:
        fn = getattr(lib, function)
    except AttributeError:
        return None
    fn.restype = ctypes.c_char_p
    value = fn()
    return value.decode("ascii", "replace") if isinstance(value, bytes) else None


def _pango() -> Probe:
    loaded = {what: load_library(names) for what, names in _WEASYPRINT_LIBS.items()}
    absent = [what for what, lib in loaded.items() if lib is None]
    if absent:
        return Probe(False, detail="not found: " + ", ".join(absent))
    return Probe(True, _version_string(loaded["Pango"], "pango_version_string"))


def _harfbuzz_subset() -> Probe:
    if load_library(_names("harfbuzz-subset", "0")) is None:
        return Probe(False, detail="not found: libharfbuzz-subset")
    harfbuzz = load_library(_names("harfbuzz", "0"))
    return Probe(True, None if harfbuzz is None else _version_string(harfbuzz,
                                                                     "hb_version_string"))


# --- the tools -------------------------------------------------------------------------------

TOOLS: tuple[Tool, ...] = (
    Tool("tesseract", "Tesseract",
         "OCR: the text of scanned PDFs and images (English, Chinese, Arabic, Uyghur)",
         "scans and images import without text: not searchable, nothing to highlight or "
         "quote; `workbench ocr` cannot run",
         ("tesseract-ocr", "tesseract-ocr-osd", "tesseract-ocr-eng", "tesseract-ocr-chi-sim",
          "tesseract-ocr-ara", "tesseract-ocr-uig"),
         "install Tesseract 4 or later with its language data (macOS: brew install tesseract "
         "tesseract-lang) so that `tesseract` is on the PATH; other languages are packages "
         "named tesseract-ocr-LANG",
         "install tesseract to OCR (Debian package tesseract-ocr; then `workbench ocr DOC`)",
         _tesseract, "documents with a text layer import and read as usual"),
    Tool("pdftotext", "pdftotext (Poppler)",
         "the leak check's second reading of PDF page text, by another PDF engine than PDFium",
         "the leak check reads a PDF's page text once (PDFium) instead of twice; every other "
         "reading of the file is still searched",
         ("poppler-utils",),
         "install Poppler's command-line utilities (macOS: brew install poppler) so that "
         "`pdftotext` is on the PATH",
         "install poppler-utils for pdftotext (see `workbench doctor`)", _pdftotext),
    Tool("pango", "Pango",
         "PDF export: the text layout and shaping WeasyPrint needs to write a dossier as PDF "
         "or as a bundle (which carries the PDF)",
         "dossiers cannot be exported as PDF or bundle; DOCX and HTML exports still work",
         ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b"),
         "install Pango 1.44 or later with HarfBuzz and Fontconfig (macOS: brew install "
         "pango); the standalone Linux build uses the system's Pango too",
         "install Pango for PDF export (Debian: libpango-1.0-0; see `workbench doctor`)",
         _pango, "export as DOCX or HTML instead"),
    Tool("harfbuzz-subset", "HarfBuzz subset",
         "faster PDF export: fonts are cut down to the letters used by HarfBuzz",
         "PDF export still works, but WeasyPrint subsets fonts with fontTools, about 4x "
         "slower on a large dossier",
         ("libharfbuzz-subset0",),
         "install HarfBuzz 2.6 or later with its subset library (most systems ship it with "
         "HarfBuzz)",
         "install libharfbuzz-subset0 (see `workbench doctor`)", _harfbuzz_subset),
)


def tool(name: str) -> Tool:
    for t in TOOLS:
        if t.name == name:
            return t
    raise KeyError(name)


def _apt_for(tools: Iterable[Tool]) -> str | None:
    packages = list(dict.fromkeys(p for t in tools for p in t.debian))
    return f"{APT} {' '.join(packages)}" if packages else None


def report() -> dict[str, Any]:
    """``{"tools": [...], "ok": every tool available, "apt": the line adding the missing
    ones, or None}`` — the shape ``workbench doctor --json`` prints (docs/CLI.md)."""
    probes = [(t, t.probe()) for t in TOOLS]
    missing = [t for t, p in probes if not p.available]
    return {"tools": [t.to_json(p) for t, p in probes], "ok": not missing,
            "apt": _apt_for(missing)}


def require(name: str, doing: str) -> None:
    """Raise ``MissingTool`` when ``name`` is missing: "Cannot <doing>: <Tool> is not
    installed (<what is lost>)", with what still works and how to add it."""
    t = tool(name)
    probe = t.probe()
    if probe.available:
        return
    why = f"; {probe.detail}" if probe.detail else ""
    instead = f"; {t.instead}" if t.instead else ""
    raise MissingTool(f"Cannot {doing}: {t.title} is not installed{why}{instead}", t.hint)


def leak_check_notes(checks: Iterable[str]) -> list[str]:
    """What a leak check that read ``checks`` (the names ``redact.scan.checks_of`` gives)
    could not read for want of a tool. Not a failure: the file was read every other way."""
    done = set(checks)
    pdftotext = tool("pdftotext")
    if "pdfium text" in done and "pdftotext text" not in done \
            and not pdftotext.probe().available:
        return [f"PDF page text was read by PDFium only, not a second time by pdftotext: "
                f"{pdftotext.title} is not installed ({pdftotext.hint})"]
    return []
