"""The wheel, installed without the lock into a fresh virtual environment, is a working app.

What a user gets from ``pip install workbench``: only the declared dependencies (resolved
anew, no ``requirements.lock``) and only what the wheel carries (no checkout beside it: the
command runs from another folder, without PYTHONPATH). That ``workbench`` creates a library,
imports one file of every supported format with its text, and finds a word from each. It fails
when the migrations or resources are left out of the wheel (``setup.py``'s data step) or when
an extractor needs a distribution that is not declared (lxml's HTML cleaner, brotli...).

The wheel is built from a copy of the sources, so the build leaves nothing in the checkout and
two runs cannot meet in its ``build/`` folder. uv's cache makes the install quick (3-7 s here
once the cache holds the dependencies); the whole test takes 15-45 s, most of it the CLI runs
and the first imports of a venv that has no compiled bytecode yet. The main path goes on to a
highlight, a dossier exported to PDF (the bundled styles and fonts) and verify, and the window
is built offscreen from the installed ``ui`` package.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.packaging.test_version import declared_version
from tests.support.files import make_html_capture, make_pdf
from tests.support.formats import (
    email_message,
    make_docx,
    make_eml,
    make_mbox,
    make_mhtml,
    make_odt,
    make_text_image,
    make_wacz,
    warc_bytes,
)
from workbench.extract.formats import FORMATS

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
# What the build reads: pyproject.toml names README.md; setup.py copies migrations/, resources/.
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md",
           "workbench", "ui", "migrations", "resources")


def uv() -> str:
    found = Path(sys.executable).parent / "uv"
    path = str(found) if found.exists() else shutil.which("uv")
    assert path, "uv is not installed in the project's virtual environment (run make setup)"
    return path


def run(cmd: list[str], cwd: Path | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=cwd, env=env)
    assert done.returncode == 0, f"{' '.join(cmd)} failed:\n{done.stderr[-4000:]}"
    return done


def build_wheel(tmp: Path) -> Path:
    src = tmp / "src"
    src.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, src / name)
    run([uv(), "build", "--wheel", "-q", "-o", str(tmp / "dist"), str(src)])
    [wheel] = (tmp / "dist").glob("workbench-*.whl")
    return wheel


def fresh_venv(tmp: Path, wheel: Path) -> Path:
    venv = tmp / "venv"
    # The interpreter behind ours, not our venv: nothing of the project's environment leaks in.
    base = getattr(sys, "_base_executable", sys.executable)
    run([uv(), "venv", "-q", "-p", base, str(venv)])
    run([uv(), "pip", "install", "-q", "-p", str(venv / "bin" / "python"), str(wheel)])
    return venv


_WINDOW = """
from ui.app import make_application
from ui.main_window import MainWindow
from ui.tasks import TaskManager
app = make_application()
window = MainWindow(TaskManager(sync=True))
window.show()
app.processEvents()
print("window up" if window.isVisible() else "no window")
"""


# One file per format, each holding a word found nowhere else (its marker).
def make_files(folder: Path) -> dict[str, str]:
    folder.mkdir()
    make_pdf(folder / "report.pdf", ["The rapporteur's finding: quillpdf, page one."])
    make_html_capture(folder / "page.html", "A saved page",
                      "The article says quillhtml in its first paragraph.\n\n" * 3)
    make_mhtml(folder / "story.mhtml", "https://example.org/story",
               "<html><head><title>Story</title></head><body><article><p>"
               + "A saved story about quillmhtml. " * 6 + "</p></article></body></html>")
    page = (b"<html><head><title>Crawled</title></head><body><article><p>"
            + b"The crawled page mentions quillwarc. " * 6 + b"</p></article></body></html>")
    (folder / "crawl.warc.gz").write_bytes(warc_bytes(
        [("response", "https://example.org/w", "text/html", page, 200)], gzip=True))
    make_wacz(folder / "archive.wacz", warc_bytes(
        [("response", "https://example.org/z", "text/html",
          page.replace(b"quillwarc", b"quillwacz"), 200)], gzip=True))
    make_eml(folder / "mail.eml", "Evidence sent", "The message body says quilleml.")
    make_mbox(folder / "inbox.mbox", [email_message("Inbox", "The mailbox holds quillmbox.")])
    make_docx(folder / "brief.docx", ["The brief argues quilldocx."], title="Brief")
    make_odt(folder / "notes.odt", "Notes", ["Interview notes with quillodt."])
    (folder / "plain.txt").write_text("Plain text naming quilltext.\n", encoding="utf-8")
    (folder / "notes.md").write_text("# Notes\n\nMarkdown naming quillmarkdown.\n",
                                     encoding="utf-8")
    make_text_image(folder / "scan.png", "Witness quillimage")
    return {"report.pdf": "quillpdf", "page.html": "quillhtml", "story.mhtml": "quillmhtml",
            "crawl.warc.gz": "quillwarc", "archive.wacz": "quillwacz", "mail.eml": "quilleml",
            "inbox.mbox": "quillmbox", "brief.docx": "quilldocx", "notes.odt": "quillodt",
            "plain.txt": "quilltext", "notes.md": "quillmarkdown", "scan.png": "quillimage"}


def test_the_files_cover_every_supported_format(tmp_path: Path) -> None:
    """A format added to FORMATS without a file here fails, so the install test keeps up."""
    from workbench.extract.formats import detect

    files = make_files(tmp_path / "files")
    kinds = {detect(tmp_path / "files" / name, (tmp_path / "files" / name).read_bytes()[:4096])
             for name in files}
    # Test-only plug-ins (tests/support/plugin_extractors.py) join FORMATS in a worker that
    # ran the isolation tests first; they ship with no installation.
    shipped = {f.kind for f in FORMATS if f.extractor.startswith("workbench.")}
    assert {f.kind for f in kinds if f} == shipped


def test_wheel_in_a_fresh_venv_imports_every_format(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    assert "workbench/_data/migrations/env.py" in names, "the wheel lacks the migrations"
    venv = fresh_venv(tmp_path, wheel)
    files = make_files(tmp_path / "files")
    home = tmp_path / "home"
    home.mkdir()
    # A user's shell: no project venv on PATH, no PYTHONPATH, a folder outside the checkout.
    env = {"HOME": str(home), "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen",
           "PATH": os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                                   if p and not p.startswith(str(ROOT)))}
    words = dict(files)
    if shutil.which("tesseract", path=env["PATH"]) is None:
        del words["scan.png"]  # imported all the same, without text (Tesseract is optional)

    def workbench(*args: str) -> dict[str, Any]:
        done = run([str(venv / "bin" / "workbench"), "--library", str(tmp_path / "lib"),
                    *args, "--json"], cwd=home, env=env)
        assert "Traceback" not in done.stderr
        result: dict[str, Any] = json.loads(done.stdout)
        return result

    # The version comes from the installed metadata: no pyproject.toml beside the package.
    shown = run([str(venv / "bin" / "workbench"), "--version"], cwd=home, env=env).stdout
    assert shown.strip() == f"workbench {declared_version()}"
    workbench("init")
    out = workbench("import", str(tmp_path / "files"))
    assert out["failed"] == [], out["failed"]
    imported = out["imported"]
    assert isinstance(imported, list)
    top = {Path(i["path"]).name: i for i in imported if "#" not in i["path"]}
    assert set(top) == set(files)
    for name, item in top.items():
        assert item["status"] == "imported", (name, item)
        assert item["pages"] >= 1, (name, item)
    hits = workbench("search", " OR ".join(words.values()), "--limit", "100")["hits"]
    assert isinstance(hits, list)
    found = {word for hit in hits for word in words.values() if word in json.dumps(hit).lower()}
    assert found == set(words.values()), f"not found: {set(words.values()) - found}"

    # The rest of the main path reads the bundled resources (export styles and fonts).
    pdf_id = str(top["report.pdf"]["id"])
    workbench("highlight", "add", pdf_id, "--quote", "quillpdf", "--tag", "Findings")
    dossier_id = str(workbench("dossier", "create", "Installed")["id"])
    workbench("dossier", "add", dossier_id, "--highlight", "1")
    exported = workbench("dossier", "export", dossier_id, "--format", "pdf",
                         "-o", str(tmp_path / "out.pdf"))
    assert (tmp_path / "out.pdf").stat().st_size == exported["size"] > 0
    assert workbench("verify")["ok"] is True

    # The window, from the installed ui package and its resources (offscreen).
    window = run([str(venv / "bin" / "python"), "-c", _WINDOW], cwd=home, env=env)
    assert window.stdout.strip() == "window up", window.stderr
