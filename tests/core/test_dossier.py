"""Dossiers: items, sections, exhibit numbering, freezing, versions, redaction rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.test_dossier_fixtures import corpus_library
from workbench.dossier.redaction import Rule, apply, find_spans, redact_plain
from workbench.errors import ExportError, NotFound, UserError


@pytest.fixture
def wb(tmp_path, tmp_path_factory):
    """A library with the corpus already imported (copied from one prepared per process)."""
    from workbench.services import Workbench

    with Workbench.open(corpus_library(tmp_path / "lib", tmp_path_factory.getbasetemp())) as b:
        yield b


def _setup(wb, corpus_dir: Path):
    docs = {d["title"].split(":")[0]: d["id"] for d in wb.list_documents()}
    report = docs["UN Report"]
    h1 = wb.add_highlight(report, quote="Michelle Bachelet finally released her long-overdue "
                                        "report on Xinjiang").highlight_ids[0]
    h2 = wb.add_highlight(report, quote="We had to sign a document to remain silent about "
                                        "the camp.").highlight_ids[0]
    d = wb.create_dossier("Xinjiang", case="Case X", author="R. Searcher").dossier_ids[0]
    return d, h1, h2, docs


def labels(wb, d):
    return [(i["kind"], i["label"]) for i in wb.get_dossier(d)["entries"]]


def test_numbering_follows_order_and_skips_notes(wb, corpus_dir):
    d, h1, h2, docs = _setup(wb, corpus_dir)
    a = wb.add_item(d, highlight=h1, commentary="first").item_ids[0]
    wb.add_item(d, note="A note between exhibits")
    b = wb.add_item(d, highlight=h2).item_ids[0]
    wb.add_item(d, document=docs["UN Finally Weighs in on China’s Breach of International "
                                 "Human Rights Laws"], section="Context")
    assert labels(wb, d) == [("highlight", "Exhibit 1"), ("note", None),
                             ("highlight", "Exhibit 2"), ("document", "Exhibit 3")]
    wb.move_item(d, b, 1)
    got = wb.get_dossier(d)["entries"]
    assert [i["id"] for i in got][:1] == [b]
    assert got[0]["label"] == "Exhibit 1"
    assert next(i for i in got if i["id"] == a)["label"] == "Exhibit 2"
    wb.move_item(d, "Exhibit 2", 1, section="Context")  # by label, into another section
    assert [i["label"] for i in wb.get_dossier(d)["entries"]] == [
        "Exhibit 1", None, "Exhibit 2", "Exhibit 3"]
    wb.remove_item(d, b)
    assert [i["label"] for i in wb.get_dossier(d)["entries"]] == [None, "Exhibit 1",
                                                                 "Exhibit 2"]
    with pytest.raises(UserError):
        wb.move_item(d, a, 9)


def test_prefix_scheme_and_update(wb, corpus_dir):
    _d, h1, h2, _ = _setup(wb, corpus_dir)
    e = wb.create_dossier("Annex", prefix="A-").dossier_ids[0]
    wb.add_item(e, highlight=h1)
    wb.add_item(e, highlight=h2)
    assert [x[1] for x in labels(wb, e)] == ["A-1", "A-2"]
    wb.update_dossier(e, prefix="B-", title="Annex B")
    info = wb.get_dossier(e)
    assert info["title"] == "Annex B" and [i["label"] for i in info["entries"]] == ["B-1", "B-2"]
    with pytest.raises(UserError):
        wb.update_dossier(e, owner="x")


def test_frozen_dossier_refuses_edits_and_new_version_copies(wb, corpus_dir):
    d, h1, h2, _ = _setup(wb, corpus_dir)
    wb.add_item(d, highlight=h1)
    item = wb.add_item(d, highlight=h2).item_ids[0]
    wb.redact_term(d, "Bachelet", "witness")
    wb.freeze(d)
    for call in (lambda: wb.add_item(d, note="x"), lambda: wb.move_item(d, item, 1),
                 lambda: wb.remove_item(d, item), lambda: wb.redact_term(d, "camp", "x"),
                 lambda: wb.set_commentary(d, item, "x"), lambda: wb.freeze(d),
                 lambda: wb.update_dossier(d, title="t")):
        with pytest.raises(UserError, match="frozen"):
            call()
    assert [x[1] for x in labels(wb, d)] == ["Exhibit 1", "Exhibit 2"]
    new = wb.new_version(d).dossier_ids[0]
    info = wb.get_dossier(new)
    assert info["version_of"] == d and not info["frozen"]
    assert [i["label"] for i in info["entries"]] == ["Exhibit 1", "Exhibit 2"]
    assert [r["text"] for r in info["redactions"]] == ["Bachelet"]
    wb.move_item(new, info["entries"][1]["id"], 1)
    assert wb.dossier_view(new).version == 2
    assert [x[1] for x in labels(wb, d)] == ["Exhibit 1", "Exhibit 2"]  # the old one kept


def test_redaction_validation(wb, corpus_dir):
    d, h1, _h2, _ = _setup(wb, corpus_dir)
    item = wb.add_item(d, highlight=h1).item_ids[0]
    with pytest.raises(UserError, match="occurs nowhere"):
        wb.redact_term(d, "Obokata", "not in this dossier")
    with pytest.raises(UserError, match="occurs nowhere"):
        wb.redact_quote(d, item, "Obokata", "not in this item's document")
    with pytest.raises(UserError, match="reason"):
        wb.redact_term(d, "Bachelet", "")
    with pytest.raises(UserError, match="every export prints it"):
        wb.redact_term(d, "page", "label")
    with pytest.raises(UserError, match="may not contain"):
        wb.redact_term(d, "Bachelet", "Bachelet is a witness")
    rid = wb.redact_quote(d, item, "long-overdue report", "draft").redaction_ids[0]
    assert [r["scope"] for r in wb.list_redactions(d)] == ["item"]
    wb.remove_redaction(d, rid)
    assert wb.list_redactions(d) == []
    # Outside the excerpt but in its document's text (so in the original a bundle carries):
    # accepted, see test_dossier_redaction_originals.py.
    rid = wb.redact_quote(d, item, "remain silent", "protect interviewee").redaction_ids[0]
    wb.remove_redaction(d, rid)
    assert len(wb.audit_events(object_type="dossier", object_id=str(d))) >= 4
    for ev in wb.audit_events(object_type="dossier", object_id=str(d)):
        assert "long-overdue" not in str(ev["details"])  # audit holds ids, never the text


def test_view_applies_redactions_everywhere(wb, corpus_dir):
    d, h1, _, _ = _setup(wb, corpus_dir)
    wb.update_dossier(d, description="About BACHELET’s report")
    wb.add_item(d, highlight=h1, commentary="Michelle  Bachelet said")
    wb.redact_term(d, "michelle bachelet", "names a witness", label="witness identity")
    wb.redact_term(d, "Bachelet", "names a witness")
    view = wb.dossier_view(d)
    text = wb.view_text(d) + str(view.description)
    assert "achelet" not in text.lower()
    assert "[REDACTED: witness identity]" in wb.view_text(d)
    from workbench.dossier.redaction import segments_text

    assert segments_text(view.description) == "About [REDACTED]’s report"
    assert "names a witness" not in text
    assert view.redacted_documents == {view.items[0].document_id}


def test_missing_source_is_reported(wb, corpus_dir, tmp_path):
    d, h1, _, docs = _setup(wb, corpus_dir)
    wb.add_item(d, highlight=h1)
    wb.delete_document(docs["UN Report"])
    entry = wb.get_dossier(d)["entries"][0]
    assert entry["missing"] and entry["text"].startswith("Michelle Bachelet")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ExportError, match="deleted"):
        wb.export(d, "html", out / "x.html")
    assert list(out.iterdir()) == []


def test_lookup_errors(wb, corpus_dir):
    d, *_ = _setup(wb, corpus_dir)
    with pytest.raises(NotFound):
        wb.get_dossier(999)
    with pytest.raises(NotFound):
        wb.add_item(d, highlight=999)
    with pytest.raises(UserError):
        wb.add_item(d)
    assert wb.get_dossier("Xinjiang")["id"] == d


# --- matching ------------------------------------------------------------------------------


def test_find_spans_normalises_case_width_space_and_marks():
    text = "Mr\u00a0BACHE\u00adLET and ｂａｃｈｅｌｅｔ and Bachelet’s; Urümqi"
    assert len(find_spans(text, "bachelet")) == 3
    assert find_spans(text, "Mr Bachelet") == [(0, 12)]
    assert find_spans("in Ürümqi.", "urumqi") == [(3, 9)]
    assert find_spans("\ufe8d\ufedf", "\u0627\u0644")  # Arabic presentation forms


def test_apply_merges_overlaps_and_keeps_surroundings():
    rules = [Rule("Michelle Bachelet", "w"), Rule("Bachelet finally", "x")]
    segs = apply("Hi Michelle Bachelet finally left", rules)
    assert [s.text for s in segs if not s.redacted] == ["Hi ", " left"]
    assert redact_plain("no match", rules) == "no match"
