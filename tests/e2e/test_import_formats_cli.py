"""`workbench import` over a folder of every new format, then `workbench ocr`, in a subprocess.

The import runs with a PATH that has no tesseract (the user has not installed it yet): the scan
imports with "no text layer — install tesseract to OCR". Then `workbench ocr` (with Tesseract
back on the PATH) adds the OCR text as a new layer version.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.files import make_html_capture
from tests.support.formats import (
    email_message,
    make_docx,
    make_eml,
    make_mbox,
    make_mhtml,
    make_odt,
    make_text_image,
    warc_bytes,
)
from workbench.extract.ocr import NO_TESSERACT

ROOT = Path(__file__).resolve().parents[2]


def wb(lib: Path, *args: str, path_env: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, WORKBENCH_LIBRARY=str(lib))
    if path_env is not None:
        env["PATH"] = path_env
    return subprocess.run([sys.executable, "-m", "workbench.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240)


def _folder(base: Path) -> Path:
    folder = base / "collected"
    folder.mkdir()
    make_docx(folder / "brief.docx", ["Legal brief on arbitrary detention."], title="Brief",
              author="Counsel", created=dt.datetime(2022, 5, 1))
    make_odt(folder / "notes.odt", "Notes", ["Interview notes about the camp."])
    make_eml(folder / "mail.eml", "Evidence sent", "See the attached list.",
             attachments=[("list.txt", b"Names of the detained.\n", "text/plain")])
    make_mbox(folder / "inbox.mbox", [email_message(f"Inbox {n}", f"Inbox message {n}.")
                                      for n in range(3)])
    make_mhtml(folder / "page.mhtml", "https://example.org/story",
               "<html><head><title>Story</title></head><body><article><p>"
               + "A saved story about the trial. " * 6 + "</p></article></body></html>")
    (folder / "crawl.warc.gz").write_bytes(warc_bytes([
        ("response", "https://example.org/w", "text/html",
         b"<html><head><title>Crawled</title></head><body><p>Crawled page text.</p></body>"
         b"</html>", 200),
        ("response", "https://example.org/w.css", "text/css", b"p{}", 200)], gzip=True))
    make_html_capture(folder / "ru.html", "Новости", "Суд приговорил журналиста к шести "
                      "годам лишения свободы за публикации о войне.", encoding="cp1251",
                      declare_charset=False)
    make_text_image(folder / "scan.png", "Statement of the witness")
    return folder


def test_import_every_format_then_ocr_later(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    assert wb(lib, "init").returncode == 0
    folder = _folder(tmp_path)
    no_ocr = tmp_path / "empty-bin"
    no_ocr.mkdir()
    run = wb(lib, "import", "--json", str(folder), path_env=str(no_ocr))
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["failed"] == [] and out["duplicates"] == []
    top = {Path(i["path"]).name: i for i in out["imported"] if "#" not in i["path"]}
    assert set(top) == {"brief.docx", "notes.odt", "mail.eml", "inbox.mbox", "page.mhtml",
                        "crawl.warc.gz", "ru.html", "scan.png"}
    children = [i for i in out["imported"] if "#" in i["path"]]
    parents = {c["parent_id"] for c in children}
    assert {top["mail.eml"]["id"], top["inbox.mbox"]["id"], top["crawl.warc.gz"]["id"]} <= parents
    assert len(children) == 1 + 3 + 1  # attachment, messages, the one HTML capture
    assert any("text/css" in p for p in top["crawl.warc.gz"]["problems"])
    scan = top["scan.png"]
    assert scan["problems"] == [NO_TESSERACT]

    shown = json.loads(wb(lib, "show", str(top["ru.html"]["id"]), "--json", "--text").stdout)
    assert "лишения свободы" in shown["text"] and shown["language"] == "ru"

    if shutil.which("tesseract") is None:
        pytest.skip("tesseract is not installed; the OCR half of this test needs it")
    ocr = wb(lib, "ocr", str(scan["id"]), "--json", "--languages", "eng")
    assert ocr.returncode == 0, ocr.stderr
    result = json.loads(ocr.stdout)
    assert result["layer_version"] == 2 and result["method"] == "ocr"
    assert result["languages"] == "eng" and result["pages_with_text"] == 1
    assert "tesseract-" in result["extractor_version"]
    shown = json.loads(wb(lib, "show", str(scan["id"]), "--json", "--text").stdout)
    assert "Statement of the witness" in shown["text"]

    refused = wb(lib, "ocr", str(top["brief.docx"]["id"]))
    assert refused.returncode == 2 and "OCR reads images and scanned PDFs" in refused.stderr
    assert "Traceback" not in refused.stderr
