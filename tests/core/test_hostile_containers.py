"""Hostile office files and web archives (issue 15): what is dropped is said, nothing escapes.

- A DOCX or ODT whose XML declares a DTD with an external entity (``<!ENTITY xxe SYSTEM
  "file:///etc/passwd">``, XXE) must never have it resolved; the entity is dropped, and the
  document says so in a problem instead of silently reading ``qqxxe``.
- A WACZ whose members are named ``archive/../archive/data.warc`` (or ``../x.warc``) listed its
  capture twice, without a word: each capture once, and the bad names reported.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from tests.support.formats import make_docx, make_odt, make_wacz, warc_bytes
from workbench.services import Workbench

XXE_DTD = '<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _rewrite(path: Path, member: str, change: object) -> None:
    """Rewrite one member of a zip package with ``change(text) -> text``."""
    with zipfile.ZipFile(path) as zf:
        items = [(info, zf.read(info.filename)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in items:
            if info.filename == member:
                data = change(data.decode("utf-8")).encode("utf-8")  # type: ignore[operator]
            zf.writestr(info, data)


def _with_xxe(root: str) -> object:
    def change(xml: str) -> str:
        decl = re.match(r"<\?xml[^>]*\?>\s*", xml)
        at = decl.end() if decl else 0
        xml = xml[:at] + XXE_DTD.format(root=root) + xml[at:]
        return xml.replace("PLACEHOLDER", "&xxe;")
    return change


def _only(wb: Workbench, path: Path) -> dict[str, object]:
    report, _ = wb.import_paths([path])
    out = report.to_json()
    assert not out["failed"], out["failed"]
    [doc] = out["imported"]
    return wb.show_document(doc["id"])


def test_docx_external_entity_is_dropped_and_said(wb: Workbench, tmp_path: Path) -> None:
    path = make_docx(tmp_path / "xxe.docx", ["qqPLACEHOLDERxxe", "Second paragraph."])
    _rewrite(path, "word/document.xml", _with_xxe("w:document"))
    doc = _only(wb, path)
    text = wb.document_text(int(doc["id"])).text  # type: ignore[call-overload]
    assert "root:" not in text and "Second paragraph." in text
    problems = " ".join(doc["problems"])  # type: ignore[arg-type]
    assert "word/document.xml" in problems and "entit" in problems, problems
    assert doc["status"] == "problems"


def test_odt_external_entity_is_dropped_and_said(wb: Workbench, tmp_path: Path) -> None:
    path = make_odt(tmp_path / "xxe.odt", "Heading", ["qqPLACEHOLDERxxe", "Second paragraph."])
    _rewrite(path, "content.xml", _with_xxe("office:document-content"))
    doc = _only(wb, path)
    text = wb.document_text(int(doc["id"])).text  # type: ignore[call-overload]
    assert "root:" not in text and "Second paragraph." in text
    problems = " ".join(doc["problems"])  # type: ignore[arg-type]
    assert "content.xml" in problems and "entit" in problems, problems


def test_plain_docx_and_odt_have_no_problem(wb: Workbench, tmp_path: Path) -> None:
    """The check names only what is there: an ordinary file imports without a problem."""
    for path in (make_docx(tmp_path / "plain.docx", ["An ordinary paragraph."]),
                 make_odt(tmp_path / "plain.odt", "Heading", ["An ordinary paragraph."])):
        assert _only(wb, path)["problems"] == []


def _page(title: str, body: str) -> bytes:
    return (f"<!doctype html><html><head><title>{title}</title></head>"
            f"<body><p>{body}</p></body></html>").encode()


def test_wacz_with_dot_dot_members_lists_each_capture_once(wb: Workbench,
                                                           tmp_path: Path) -> None:
    warc = warc_bytes([("response", "https://example.org/a", "text/html",
                        _page("Archived page", "The committee's archived statement."), 200)],
                      gzip=True)
    path = make_wacz(tmp_path / "hostile.wacz", warc)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("archive/../archive/data.warc.gz", warc)
        zf.writestr("archive/../../escape.warc", warc)
        zf.writestr("/archive/absolute.warc", warc)
    before = set(tmp_path.parent.iterdir())
    report, _ = wb.import_paths([path])
    out = report.to_json()
    container, *captures = out["imported"]
    assert [c["title"] for c in captures] == ["Archived page"], out
    assert not out["duplicates"] and not out["failed"]
    problems = " ".join(wb.show_document(container["id"])["problems"])
    for bad in ("archive/../archive/data.warc.gz", "archive/../../escape.warc",
                "/archive/absolute.warc"):
        assert bad in problems, problems
    assert set(tmp_path.parent.iterdir()) == before  # nothing written beside the import
    assert not list(tmp_path.parent.glob("escape*")) and not list(tmp_path.glob("escape*"))


def test_wacz_member_named_twice_is_read_once(wb: Workbench, tmp_path: Path) -> None:
    warc = warc_bytes([("response", "https://example.org/b", "text/html",
                        _page("Only once", "Read once."), 200)], gzip=True)
    path = make_wacz(tmp_path / "twice.wacz", warc)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        with zipfile.ZipFile(path, "a") as zf:
            zf.writestr("archive/data.warc.gz", warc)
    report, _ = wb.import_paths([path])
    out = report.to_json()
    container, *captures = out["imported"]
    assert [c["title"] for c in captures] == ["Only once"] and not out["duplicates"], out
    problems = " ".join(wb.show_document(container["id"])["problems"])
    assert "archive/data.warc.gz" in problems and "twice" in problems, problems
