"""Redact a person, not a string (issue 18 §2): every name and alias gone from every export.

Each export is read back two ways: by the project's own leak check (``check_file``, the
matcher every redaction uses) and by the independent reader of ``tests.support.leak_reading``
(pdftotext, pypdf, raw bytes in several encodings, every zip member).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core import test_entities as entities
from tests.core.test_entities import EN, UG, ZH, docs, ekpar
from tests.support.leak_reading import readable_in
from workbench.dossier.redaction import Rule
from workbench.errors import UserError
from workbench.export.leakcheck import check_file

FORMATS = ("pdf", "docx", "html", "bundle")
# The library of test_entities (imported once per module, copied for each test).
base_library = entities.base_library
bench = entities.bench


def _dossier(wb) -> int:  # type: ignore[no-untyped-def]
    """A dossier citing the three documents that name him, and a note that does too."""
    d = docs(wb)
    dossier = wb.create_dossier("Detentions in Aksu").dossier_ids[0]
    wb.add_item(dossier, document=d["english.txt"])
    wb.add_item(dossier, document=d["uyghur.txt"])
    wb.add_item(dossier, document=d["chinese.txt"])
    wb.add_item(dossier, note="His sister wrote to the court about Ekpar Asat in 2019.")
    return int(dossier)


def _assert_gone(path: Path, fmt: str, names: list[str]) -> None:
    # The project's own check raises RedactionLeak where any name can be read.
    assert check_file(path, [Rule(n, "witness safety") for n in names], fmt)
    for name in names:
        assert readable_in(path, name) == [], (fmt, name)


@pytest.mark.slow  # four exports, each read back twice (pdftotext, pypdf, every zip member)
def test_redacting_a_person_hides_every_name_and_alias_in_every_export(bench, tmp_path):
    e = ekpar(bench)
    d = _dossier(bench)
    ch = bench.redact_entity(d, "Ekpar Asat", "his family is still detained",
                             label="witness safety")
    assert ch.dossiers and len(ch.redaction_ids) == 1
    [r] = bench.list_redactions(d)
    assert r["entity_id"] == e and r["entity"] == EN and r["text"] == ""
    assert r["kind"] == "entity" and r["mark"] == "[REDACTED: witness safety]"
    text = bench.view_text(d)
    assert "Ekpar" not in text and UG not in text and "艾克拜尔" not in text
    assert "[REDACTED: witness safety]" in text
    for fmt in FORMATS:
        path = tmp_path / f"out.{ {'bundle': 'zip'}.get(fmt, fmt) }"
        bench.export(d, fmt, path)
        _assert_gone(path, fmt, [EN, UG, ZH, "Ekpar", "艾克拜尔"])
        assert readable_in(path, "his family is still detained") == [], fmt  # private


def test_an_alias_added_after_the_rule_is_hidden_at_the_next_export(bench, tmp_path):
    e = bench.add_entity("person", EN).entity_ids[0]
    d = _dossier(bench)
    bench.redact_entity(d, e, "his family is still detained")
    assert ZH in bench.view_text(d)
    bench.add_alias(e, ZH)
    assert ZH not in bench.view_text(d) and "艾克拜尔" not in bench.view_text(d)
    path = tmp_path / "out.html"
    bench.export(d, "html", path)
    _assert_gone(path, "html", [EN, ZH])
    # the export's audit event counts the rules the user made: one, whatever his names
    (sent,) = [e for e in bench.audit_events(object_type="dossier", object_id=str(d))
               if e["type"] == "dissemination"]
    assert sent["details"]["redactions"] == 1


def test_deleting_a_person_a_rule_names_is_refused(bench):
    e = ekpar(bench)
    d = _dossier(bench)
    rid = bench.redact_entity(d, e, "his family is still detained").redaction_ids[0]
    with pytest.raises(UserError, match="redaction"):
        bench.delete_entity(e)
    with pytest.raises(UserError, match="stop hiding"):  # a name never silently reappears
        bench.remove_alias(e, ZH)
    assert bench.get_entity(e)["id"] == e
    bench.remove_redaction(d, rid)
    bench.delete_entity(e)
    assert bench.list_entities() == []


def test_redacting_one_spelling_warns_of_another_name_in_the_dossier(bench):
    ekpar(bench)
    d = _dossier(bench)
    ch = bench.redact_term(d, "Ekpar Asat", "his family is still detained")
    assert len(ch.warnings) == 1
    assert EN in ch.warnings[0] and ZH in ch.warnings[0] and "--entity" in ch.warnings[0]
    # No other name in the dossier: no warning.
    bench.add_entity("person", "Human Rights Watch", aliases=("人权观察",))
    assert bench.redact_term(d, "Human Rights Watch", "a source").warnings == []


def test_entity_rules_are_refused_when_they_would_print_or_repeat(bench):
    e = ekpar(bench)
    d = _dossier(bench)
    with pytest.raises(UserError, match="reason"):
        bench.redact_entity(d, e, "Ekpar Asat's family asked")
    with pytest.raises(UserError, match="reason"):
        bench.redact_entity(d, e, "  ")
    bench.redact_entity(d, e, "his family is still detained")
    with pytest.raises(UserError, match="already"):
        bench.redact_entity(d, e, "again")
    # A new version of the dossier keeps hiding him.
    v2 = bench.new_version(d).dossier_ids[0]
    assert [r["entity_id"] for r in bench.list_redactions(v2)] == [e]
    assert "Ekpar" not in bench.view_text(v2)
