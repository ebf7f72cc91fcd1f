"""The chronology: events made from dated highlights, in date order, filtered, exported."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.support.libraries import copy_library, make_library
from workbench.errors import NotFound, UserError

WITNESS = ("Statement of a witness. In March 2018 the authorities began detaining people in "
           "the village. On 5 March 2018 Ekpar Asat was taken from his home by police. "
           "He was held at the camp until after June 2019, his sister said.\n")
REPORT = ("A report on the camps. Satellite images show the site was built between 2017 and "
          "2018. Before June 2018 the camp held about 2,000 people, according to the "
          "report. The camp was expanded in 2019. 艾克拜尔·阿沙特 2018年3月被拘留。\n")

_prepared: dict[str, Path] = {}


def chronology_library(dest: Path, factory_dir: Path) -> Path:
    """Two short text documents, imported once per process and copied to ``dest``."""
    if "lib" not in _prepared:
        from workbench.services import Workbench

        base = factory_dir / "chronology-lib"
        src = factory_dir / "chronology-src"
        src.mkdir()
        (src / "witness.txt").write_text(WITNESS, encoding="utf-8")
        (src / "report.txt").write_text(REPORT, encoding="utf-8")
        with Workbench.open(make_library(base), program="tests") as wb:
            wb.import_paths([src / "witness.txt", src / "report.txt"])
            wb.add_to_collection([docs(wb)["witness.txt"]], "Witnesses")
        _prepared["lib"] = base
    copy_library(_prepared["lib"], dest)
    return dest


@pytest.fixture
def wb(tmp_path, tmp_path_factory):
    from workbench.services import Workbench

    path = chronology_library(tmp_path / "lib", tmp_path_factory.getbasetemp())
    with Workbench.open(path) as bench:
        yield bench


def docs(wb) -> dict[str, int]:
    """Document ids by file name."""
    out = {}
    for d in wb.list_documents():
        name = wb.show_document(d["id"])["original_filename"].rsplit("/", 1)[-1]
        out[name] = d["id"]
    return out


def highlights(wb) -> dict[str, int]:
    d = docs(wb)
    add = wb.add_highlight
    return {
        "taken": add(d["witness.txt"], quote="On 5 March 2018 Ekpar Asat was taken from his "
                     "home by police.", tags=["Detention/Arrests"]).highlight_ids[0],
        "began": add(d["witness.txt"], quote="In March 2018 the authorities began detaining "
                     "people in the village.", tags=["Detention"]).highlight_ids[0],
        "built": add(d["report.txt"], quote="the site was built between 2017 and 2018",
                     tags=["Camps"]).highlight_ids[0],
        "held": add(d["report.txt"], quote="Before June 2018 the camp held about 2,000 "
                    "people", tags=["Camps", "Detention"]).highlight_ids[0],
        "zh": add(d["report.txt"], quote="艾克拜尔·阿沙特 2018年3月被拘留。").highlight_ids[0],
    }


def test_event_suggestion_proposes_the_quote_and_its_dates(wb):
    h = highlights(wb)
    got = wb.event_suggestion(h["began"])
    assert got["statement"] == ("In March 2018 the authorities began detaining people in "
                                "the village.")
    assert got["dates"][0] == {"text": "March 2018", "kind": "month", "from": "2018-03-01",
                               "to": "2018-03-31"}
    assert got["tags"] == ["Detention"]
    assert wb.event_suggestion(h["zh"])["dates"][0]["from"] == "2018-03-01"
    with pytest.raises(NotFound):
        wb.event_suggestion(99999)


def test_events_are_listed_in_date_order_with_their_sources(wb):
    h = highlights(wb)
    a = wb.add_event("The camp was built", "2017–2018", highlights=[h["built"]],
                     status="undisputed", note="check the satellite dates").event_ids[0]
    b = wb.add_event("Ekpar Asat was taken from his home", "5 March 2018",
                     highlights=[h["taken"], h["zh"]], status="disputed").event_ids[0]
    c = wb.add_event("The camp held about 2,000 people", "before June 2018",
                     highlights=[h["held"]]).event_ids[0]
    d = wb.add_event("Detentions began in the village", "March 2018",
                     highlights=[h["began"]]).event_ids[0]
    e = wb.add_event("He was still held", "after June 2019").event_ids[0]
    events = wb.list_events()
    assert [x["id"] for x in events] == [a, d, b, c, e]
    taken = next(x for x in events if x["id"] == b)
    assert taken["date"] == {"text": "5 March 2018", "kind": "exact", "from": "2018-03-05",
                             "to": "2018-03-05"}
    assert taken["status"] == "disputed"
    assert taken["tags"] == ["Detention/Arrests"]
    src = taken["sources"][0]
    assert src["highlight_id"] == h["taken"]
    assert src["title"] and src["quote"].startswith("On 5 March 2018")
    assert len(src["sha256"]) == 64 and src["document_id"] == docs(wb)["witness.txt"]
    assert next(x for x in events if x["id"] == a)["note"] == "check the satellite dates"


def test_an_event_needs_a_readable_date_a_statement_and_a_known_status(wb):
    with pytest.raises(UserError) as err:
        wb.add_event("Something happened", "last spring")
    assert "2018-03-05" in (err.value.hint or "")
    with pytest.raises(UserError):
        wb.add_event("  ", "2018")
    with pytest.raises(UserError) as err:
        wb.add_event("Something happened", "2018", status="probable")
    assert "undisputed" in (err.value.hint or "")
    with pytest.raises(NotFound):
        wb.add_event("Something happened", "2018", highlights=[424242])
    assert wb.list_events() == []


def test_editing_and_deleting_events_and_their_sources_is_audited(wb):
    h = highlights(wb)
    ch = wb.add_event("Detentions began", "2018", highlights=[h["began"]])
    assert ch.events and ch.highlight_ids == [h["began"]]
    ev = ch.event_ids[0]
    wb.edit_event(ev, statement="Detentions began in the village", date="March 2018",
                  status="undisputed", note="private")
    wb.add_event_source(ev, h["taken"])
    with pytest.raises(UserError):
        wb.add_event_source(ev, h["taken"])  # already a source
    wb.remove_event_source(ev, h["began"])
    got = wb.list_events()[0]
    assert got["statement"] == "Detentions began in the village"
    assert got["date"]["kind"] == "month" and got["status"] == "undisputed"
    assert [s["highlight_id"] for s in got["sources"]] == [h["taken"]]
    with pytest.raises(UserError):
        wb.edit_event(ev, date="someday")
    assert wb.list_events()[0]["date"]["text"] == "March 2018"  # unchanged
    ch = wb.delete_event(ev)
    assert ch.events and ch.event_ids == [ev]
    assert wb.list_events() == []
    with pytest.raises(NotFound):
        wb.delete_event(ev)
    actions = [e for e in wb.audit_events() if e["object_type"] == "event"]
    assert len(actions) >= 5
    # The audit log (bundled with dossiers) holds ids, never the statement or the note.
    assert not any("Detentions" in str(e["details"]) or "private" in str(e["details"])
                   for e in actions)


def test_filters_by_tag_collection_and_entity(wb):
    h = highlights(wb)
    began = wb.add_event("Detentions began", "March 2018", highlights=[h["began"]]).event_ids[0]
    taken = wb.add_event("He was taken", "5 March 2018", highlights=[h["taken"]]).event_ids[0]
    built = wb.add_event("The camp was built", "2017-2018", highlights=[h["built"]]
                         ).event_ids[0]
    zh = wb.add_event("拘留", "2018年3月", highlights=[h["zh"]]).event_ids[0]

    def ids(**kw):
        return [x["id"] for x in wb.list_events(**kw)]

    assert ids(tags=["Detention"]) == [began, taken]  # a sub-tag counts
    assert ids(tags=["Camps"]) == [built]
    assert ids(tags=["Camps", "Detention/Arrests"]) == [built, taken]  # any of them
    assert ids(collection="Witnesses") == [began, taken]
    assert ids(collection="Witnesses", tags=["Detention/Arrests"]) == [taken]
    with pytest.raises(NotFound):
        wb.list_events(collection="Nobody")
    with pytest.raises(NotFound):
        wb.list_events(tags=["No such tag"])
    # An entity: events whose statement or source quote names it in any of its scripts.
    from workbench.models import Entity, EntityName

    with wb.library.transaction() as s:
        ent = Entity(kind="person", name="Ekpar Asat", note="")
        s.add(ent)
        s.flush()
        s.add_all([EntityName(entity_id=ent.id, name="Ekpar Asat"),
                   EntityName(entity_id=ent.id, name="艾克拜尔·阿沙特")])
        ent_id = ent.id
    assert ids(entity=ent_id) == [zh, taken]  # March 2018 starts before 5 March
    assert ids(entity="ekpar asat") == [zh, taken]
    with pytest.raises(NotFound):
        wb.list_events(entity="Nobody Known")


def test_chronology_exports_as_csv_and_docx_without_notes(wb, tmp_path):
    import docx

    h = highlights(wb)
    wb.add_event("He was taken", "5 March 2018", highlights=[h["taken"]],
                 note="PRIVATE-NOTE-TEXT")
    wb.add_event("The camp was built", "2017–2018", highlights=[h["built"]],
                 status="undisputed")
    sha = {d["id"]: d["sha256"] for d in wb.list_documents()}
    out = wb.export_chronology("csv", tmp_path / "c.csv")
    assert out["events"] == 2 and Path(out["path"]).exists()
    text = (tmp_path / "c.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(text.splitlines()))
    assert [r["date"] for r in rows] == ["2017–2018", "5 March 2018"]
    assert rows[0]["status"] == "undisputed" and rows[0]["tags"] == "Camps"
    assert rows[1]["from"] == "2018-03-05"
    assert sha[docs(wb)["witness.txt"]] in rows[1]["sources"]
    assert rows[1]["sources_sha256"] == sha[docs(wb)["witness.txt"]]
    assert "witness" in rows[1]["sources"]
    assert "PRIVATE-NOTE-TEXT" not in text
    out = wb.export_chronology("docx", tmp_path / "c.docx", tags=["Detention"])
    assert out["events"] == 1
    d = docx.Document(str(tmp_path / "c.docx"))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    body = "\n".join([p.text for p in d.paragraphs] + cells)
    assert "He was taken" in body and "5 March 2018" in body
    assert sha[docs(wb)["witness.txt"]] in body
    assert "The camp was built" not in body  # filtered out
    assert "PRIVATE-NOTE-TEXT" not in body
    with pytest.raises(UserError):
        wb.export_chronology("pdf", tmp_path / "c.pdf")
