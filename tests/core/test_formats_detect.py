"""Format detection by content: files without (or with a wrong) extension find their kind,
and ordinary text that merely looks a little like mail stays text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.support.formats import (
    email_message,
    make_docx,
    make_mbox,
    make_mhtml,
    make_odt,
    make_text_image,
    make_wacz,
    warc_bytes,
)
from workbench.extract.formats import SNIFF_BYTES, detect


def _kind(path: Path, name: str | None = None) -> str | None:
    head = path.read_bytes()[:SNIFF_BYTES]
    fmt = detect(Path(name or path.name), head)
    return fmt.kind if fmt else None


def test_content_decides_without_an_extension(tmp_path: Path) -> None:
    files = {
        "docx": make_docx(tmp_path / "a.docx", ["x"], created=dt.datetime(2022, 1, 1)),
        "odt": make_odt(tmp_path / "a.odt", "h", ["x"]),
        "mhtml": make_mhtml(tmp_path / "a.mhtml", "https://example.org/", "<html></html>"),
        "mbox": make_mbox(tmp_path / "a.mbox", [email_message("s", "b")]),
        "image": make_text_image(tmp_path / "a.png", "x"),
    }
    (tmp_path / "a.eml").write_bytes(email_message("Subject line", "Body"))
    files["email"] = tmp_path / "a.eml"
    (tmp_path / "a.warc.gz").write_bytes(warc_bytes([], gzip=True))
    files["warc"] = tmp_path / "a.warc.gz"
    files["wacz"] = make_wacz(tmp_path / "a.wacz", warc_bytes([], gzip=True))
    for kind, path in files.items():
        assert _kind(path, "download") == kind, kind
        assert _kind(path) == kind, kind


@pytest.mark.parametrize("text", [
    "Subject: my notes for the hearing\nRemember to bring the exhibits.\n",
    "From the report we learn that the camps expanded in 2019.\n",
    "To: do list\nFrom: me\n\nBuy milk\n",
])
def test_text_that_resembles_mail_stays_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(text, encoding="utf-8")
    assert _kind(path) == "text"
