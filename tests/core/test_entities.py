"""The entity register (issue 18 §2): names in any script, their mentions, suggestions.

A small library is imported once per module (an English article, a Uyghur and a Chinese note,
a poster in full-width letters, an unrelated note) and copied for each test.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from tests.support.libraries import copy_library, make_library
from workbench.errors import UserError
from workbench.redact.fold import fold

EN = "Ekpar Asat"
UG = "ئەكبەر ئاسات"
ZH = "艾克拜尔·阿沙特"

TEXTS = {
    "english.txt": "Detained entrepreneur\n\nEkpar Asat, a tech entrepreneur from Aksu, was "
                   "detained in 2016 after a State Department programme. Relatives of Ékpar "
                   "Asat say he was sentenced to fifteen years. The campaign for EKPAR ASAT "
                   "continues, says Human Rights Watch.\n",
    "uyghur.txt": "خاتىرە\n\nئەكبەر ئاسات ئاقسۇلۇق سودىگەر. ئۇ 2016-يىلى تۇتقۇن قىلىندى.\n",
    "chinese.txt": "笔记\n\n艾克拜尔·阿沙特是阿克苏的企业家，2016年被拘留。\n",
    "fullwidth.txt": "Poster text\n\nＦｒｅｅ ＥＫＰＡＲ　ＡＳＡＴ now, says Human Rights "
                     "Watch.\n",
    "other.txt": "Unrelated\n\nA report on cotton supply chains and labour transfers in the "
                 "region, by the Xinjiang Data Project.\n",
}
TITLES = {"english.txt": "Detained entrepreneur", "uyghur.txt": "خاتىرە",
          "chinese.txt": "笔记", "fullwidth.txt": "Poster text", "other.txt": "Unrelated"}


@pytest.fixture(scope="module")
def base_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from workbench.services import Workbench

    src = tmp_path_factory.mktemp("entity-sources")
    for name, text in TEXTS.items():
        (src / name).write_text(text, encoding="utf-8")
    lib = tmp_path_factory.mktemp("entity-lib") / "lib"
    with Workbench.open(make_library(lib), program="tests") as wb:
        wb.import_paths(sorted(src.iterdir()))
        assert wb.wait_for_index(60)
    return lib


@pytest.fixture
def bench(base_library: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    from workbench.services import Workbench

    lib = tmp_path / "lib"
    copy_library(base_library, lib)
    with Workbench.open(lib) as wb:
        yield wb


def docs(wb) -> dict[str, int]:  # type: ignore[no-untyped-def]
    by_title = {d["title"]: d["id"] for d in wb.list_documents()}
    return {name: by_title[title] for name, title in TITLES.items()}


def ekpar(wb) -> int:  # type: ignore[no-untyped-def]
    return int(wb.add_entity("person", EN, aliases=(UG, ZH)).entity_ids[0])


# --- the register ---------------------------------------------------------------------------


def test_register_a_person_with_names_in_three_scripts(bench):
    ch = bench.add_entity("person", EN, aliases=(UG, ZH), note="met his sister in 2021")
    assert ch.entities and len(ch.entity_ids) == 1
    [row] = bench.list_entities()
    assert row["name"] == EN and row["kind"] == "person"
    assert row["names"] == [EN, UG, ZH]
    assert row["documents"] == 0 and row["note"] == "met his sister in 2021"
    # Found by its id or any of its names, whatever the letter case.
    for ref in (ch.entity_ids[0], str(ch.entity_ids[0]), "ekpar asat", UG, ZH):
        assert bench.get_entity(ref)["id"] == ch.entity_ids[0]
    assert bench.list_entities(kind="place") == []
    events = bench.audit_events(object_type="entity")
    assert [e["type"] for e in events] == ["creation"]
    assert "met his sister" not in str(events)  # the note is private


def test_bad_kind_empty_name_duplicate_alias_and_unknown_ref_are_refused(bench):
    with pytest.raises(UserError, match="kind"):
        bench.add_entity("animal", "Rex")
    with pytest.raises(UserError, match="name"):
        bench.add_entity("person", "   ")
    e = ekpar(bench)
    with pytest.raises(UserError, match="already"):
        bench.add_alias(e, "EKPAR ASAT")
    with pytest.raises(UserError, match="No entity"):
        bench.get_entity("Nobody Here")


def test_aliases_added_and_removed_but_never_the_last_name(bench):
    e = bench.add_entity("place", "Urumqi").entity_ids[0]
    bench.add_alias(e, "Ürümqi")
    bench.add_alias(e, "乌鲁木齐")
    assert bench.get_entity(e)["names"] == ["Urumqi", "Ürümqi", "乌鲁木齐"]
    bench.remove_alias(e, "Urumqi")  # the shown name: another one takes its place
    got = bench.get_entity(e)
    assert "Urumqi" not in got["names"] and got["name"] in got["names"]
    bench.remove_alias(e, "乌鲁木齐")
    with pytest.raises(UserError, match="last name"):
        bench.remove_alias(e, got["names"][0] if got["names"][0] != "乌鲁木齐" else "Ürümqi")


def test_edit_link_and_delete(bench):
    d = docs(bench)
    e = ekpar(bench)
    bench.edit_entity(e, name="Ekpar Asat (entrepreneur)", kind="person", note="private")
    got = bench.get_entity(e)
    assert got["name"] == "Ekpar Asat (entrepreneur)" and got["names"][0] == got["name"]
    assert got["note"] == "private"
    ch = bench.link_entity_document(e, d["english.txt"])
    assert ch.entities and ch.document_ids == [d["english.txt"]]
    with pytest.raises(UserError, match="already linked"):
        bench.link_entity_document(e, d["english.txt"])
    got = bench.get_entity(e)
    assert got["documents"] == 1
    assert got["linked_documents"] == [{"document_id": d["english.txt"],
                                        "title": "Detained entrepreneur"}]
    bench.unlink_entity_document(e, d["english.txt"])
    assert bench.get_entity(e)["documents"] == 0
    bench.delete_entity(e)
    assert bench.list_entities() == []


def test_a_name_shared_by_two_entities_asks_for_the_id(bench):
    bench.add_entity("person", "Li Wei")
    bench.add_entity("person", "Li Wei", aliases=("李伟",))
    with pytest.raises(UserError, match="2 entities"):
        bench.get_entity("li wei")
    assert bench.get_entity("李伟")["names"] == ["Li Wei", "李伟"]


# --- mentions -------------------------------------------------------------------------------


def test_every_mention_across_scripts_case_accents_and_width(bench):
    d = docs(bench)
    e = ekpar(bench)
    found = bench.entity_mentions(e)
    ids = [m["document_id"] for m in found]
    assert set(ids) == {d["english.txt"], d["uyghur.txt"], d["chinese.txt"],
                        d["fullwidth.txt"]}
    assert [m["title"] for m in found] == sorted(m["title"] for m in found)
    by_doc = {m["document_id"]: m for m in found}
    english = by_doc[d["english.txt"]]
    text = bench.document_text(d["english.txt"]).text
    spelled = [text[m["start"]:m["end"]] for m in english["mentions"]]
    assert spelled == ["Ekpar Asat", "Ékpar\nAsat" if "Ékpar\nAsat" in text else "Ékpar Asat",
                       "EKPAR ASAT"]
    for m in english["mentions"]:
        assert m["name"] == EN and m["page"] == 1
        s, e_ = m["context_spans"][0]
        assert fold(m["context"][s:e_]).replace("\n", " ") == fold(text[m["start"]:m["end"]]) \
            .replace("\n", " ")
    poster = by_doc[d["fullwidth.txt"]]["mentions"]
    assert [unicodedata.normalize("NFKC", bench.document_text(d["fullwidth.txt"]).text[
        m["start"]:m["end"]]) for m in poster] == ["EKPAR ASAT"]
    assert [m["name"] for m in by_doc[d["uyghur.txt"]]["mentions"]] == [UG]
    assert [m["name"] for m in by_doc[d["chinese.txt"]]["mentions"]] == [ZH]
    assert all(m["layer_id"] for m in found)


def test_mentions_read_only_the_documents_the_search_index_names(bench, monkeypatch):
    import workbench.entities.mentions as mentions

    d = docs(bench)
    e = ekpar(bench)
    read: list[int] = []
    real = mentions.load_texts

    def spy(library, ids):  # type: ignore[no-untyped-def]
        read.extend(ids)
        return real(library, ids)

    monkeypatch.setattr(mentions, "load_texts", spy)
    assert bench.entity_mentions(e)
    assert d["other.txt"] not in read
    assert len(read) == len(set(read))


def test_mentions_limit_per_document(bench):
    e = ekpar(bench)
    found = bench.entity_mentions(e, limit_per_document=1)
    assert all(len(m["mentions"]) == 1 for m in found)


# --- suggestions ----------------------------------------------------------------------------


def test_suggestions_from_capitalised_names_alias_groups_and_tags(bench):
    bench.add_alias_group("Urumqi", ["Urumqi", "Ürümqi", "乌鲁木齐"])
    bench.add_tag("people/Tursun Ekpar")
    bench.add_tag("themes/forced labour")
    names = {s["name"]: s for s in bench.entity_suggestions()}
    # Two documents say "Human Rights Watch" (one in full-width letters): a capitalised name.
    assert names["Human Rights Watch"]["source"] == "capitalised"
    assert names["Human Rights Watch"]["documents"] == 2
    assert "State Department" not in names  # one document only
    assert names["Urumqi"]["source"] == "alias-group"
    assert names["Tursun Ekpar"]["source"] == "tag"
    assert names["Tursun Ekpar"]["kind_guess"] == "person"
    assert "forced labour" not in names and "themes" not in names
    ekpar(bench)
    bench.add_entity("organisation", "Human Rights Watch")
    after = {s["name"] for s in bench.entity_suggestions()}
    assert "Human Rights Watch" not in after and EN not in after
