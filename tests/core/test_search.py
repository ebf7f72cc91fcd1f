"""Every query form on real text: the corpus excerpts plus generated Chinese and Uyghur text.

One library is built per module (import is the slow part); the tests only read it, except the
alias test, which adds and deletes a group.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.errors import UserError
from workbench.ingest import ImportOptions
from workbench.models import DocumentTag, Tag
from workbench.services import Workbench

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"

CHINESE = ("联合国人权事务高级专员巴切莱特发布了关于新疆维吾尔自治区的报告。"
           "报告指出，强迫劳动和任意拘留可能构成危害人类罪。乌鲁木齐的居民接受了采访。")
UYGHUR = "ئۇيغۇر ئاپتونوم رايونى ھەققىدە دوكلات. ئۈرۈمچى شەھىرىدىكى ئادەملەر"


def presentation_forms(text: str) -> str:
    """``text`` with each Arabic letter replaced by a presentation form (as PDFs often give)."""
    forms: dict[str, str] = {}
    for cp in range(0xFE70, 0xFEFF):
        ch = chr(cp)
        base = unicodedata.normalize("NFKC", ch)
        if len(base) == 1 and unicodedata.decomposition(ch).startswith("<isolated>"):
            forms.setdefault(base, ch)
    for cp in range(0xFB50, 0xFDFF):
        ch = chr(cp)
        base = unicodedata.normalize("NFKC", ch)
        if len(base) == 1 and unicodedata.decomposition(ch).startswith("<isolated>"):
            forms.setdefault(base, ch)
    return "".join(forms.get(c, c) for c in text)


GENERATED = {
    "chinese-report.txt": f"新疆报告\n\n{CHINESE}\n",
    "uyghur-report.txt": f"Uyghur report\n\n{UYGHUR}\n",
    "uyghur-pdf-extract.txt": ("Uyghur extract\n\n\u202b" + presentation_forms("ئۇيغۇر ئاپتونوم")
                               + "\u202c rayoni\n"),
    "urumqi-accented.txt": "Visit to Ürümqi\n\nThe delegation visited Ürümqi in May 2022.\n",
    "urumqi-plain.txt": "Urumqi notes\n\nOfficials in Urumqi declined to comment.\n",
    "wulumuqi.txt": "Wulumuqi\n\nWulumuqi is the pinyin spelling of the city's name.\n",
    "labouring.txt": ("Labouring camps\n\nDetainees were labouring in factories. "
                      "Labor transfer programmes expanded.\n"),
}


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workbench, dict[str, int]]]:
    root = tmp_path_factory.mktemp("search")
    gen = root / "generated"
    gen.mkdir()
    for name, text in GENERATED.items():
        (gen / name).write_text(text, encoding="utf-8")
    wb = Workbench.open(root / "lib", create=True)
    report, _ = wb.import_paths(sorted(CORPUS.glob("*.txt")),
                                ImportOptions(collection="China Digital Times"))
    report2, _ = wb.import_paths(sorted(gen.glob("*.txt")))
    ids = {Path(o.path).stem: o.document_id for o in report.outcomes + report2.outcomes
           if o.document_id}
    wb.edit_document(ids["un-special-rapporteur-forced-labour"], published="2022-08-17",
                     site="China Digital Times")
    wb.edit_document(ids["un-report-crimes-against-humanity"], published="2022-09-01")
    wb.edit_document(ids["un-weighs-in-breach-of-human-rights-law"], published="2022-10-03")
    wb.edit_document(ids["chinese-report"], language="zh")
    with wb.library.transaction() as s:
        parent = Tag(name="Forced labour")
        s.add(parent)
        s.flush()
        child = Tag(name="Labour transfer", parent_id=parent.id)
        s.add(child)
        s.flush()
        s.add(DocumentTag(document_id=ids["un-special-rapporteur-forced-labour"],
                          tag_id=child.id))
        s.add(DocumentTag(document_id=ids["labouring"], tag_id=parent.id))
    wb.library.index.documents_changed([ids["un-special-rapporteur-forced-labour"],
                                        ids["labouring"]])
    assert wb.wait_for_index(30)
    yield wb, ids
    wb.close()


def found(wb: Workbench, query: str, **kw: object) -> set[int]:
    result = wb.search(query, limit=100, **kw)  # type: ignore[arg-type]
    assert result.total == len(result.hits)
    return {h.document_id for h in result.hits}


def marked(wb: Workbench, query: str, doc_id: int) -> list[str]:
    """The text under each span of the hit for ``doc_id``, via the document's text layer."""
    text = wb.document_text(doc_id).text
    hit = next(h for h in wb.search(query, limit=100).hits if h.document_id == doc_id)
    assert hit.snippets and hit.spans == hit.snippets[0].spans
    assert text[hit.snippets[0].start:hit.snippets[0].end] == hit.snippet
    return [text[s:e] for snip in hit.snippets for s, e in snip.spans]


# --- words, phrases, boolean ------------------------------------------------------------------


def test_words_are_anded(lib: tuple[Workbench, dict[str, int]]) -> None:
    wb, ids = lib
    assert found(wb, "Obokata") == {ids["un-special-rapporteur-forced-labour"]}
    both = found(wb, "Bachelet Obokata")
    assert both == {ids["un-special-rapporteur-forced-labour"]}
    assert ids["un-report-crimes-against-humanity"] in found(wb, "Bachelet")


def test_spans_point_at_the_matched_words(lib: tuple[Workbench, dict[str, int]]) -> None:
    wb, ids = lib
    words = marked(wb, "tiger chair", ids["un-report-crimes-against-humanity"])
    assert {w.lower() for w in words} == {"tiger", "chair"}


def test_stemming_for_words_but_phrases_stay_exact(lib: tuple[Workbench, dict[str, int]]) -> None:
    wb, ids = lib
    assert ids["labouring"] in found(wb, "labour")  # labouring -> labour
    assert "labouring" in marked(wb, "labour", ids["labouring"])
    assert ids["labouring"] not in found(wb, '"labour"')  # the exact word only
    assert ids["labouring"] in found(wb, '"labouring in factories"')
    assert marked(wb, '"labouring in factories"', ids["labouring"]) == ["labouring in factories"]


def test_phrase_and_proximity(lib: tuple[Workbench, dict[str, int]]) -> None:
    wb, ids = lib
    fl = ids["un-special-rapporteur-forced-labour"]
    assert fl in found(wb, '"forced labor"')
    assert "forced labor" in [w.lower() for w in marked(wb, '"forced labor"', fl)]
    assert found(wb, '"labor forced"') == set()
    # "special rapporteur regards it as reasonable": 4 words between
    assert fl not in found(wb, '"rapporteur reasonable"~2')
    assert fl in found(wb, '"rapporteur reasonable"~5')


def test_and_or_not_parentheses(lib: tuple[Workbench, dict[str, int]]) -> None:
    wb, ids = lib
    fl, cah = ids["un-special-rapporteur-forced-labour"], ids["un-report-crimes-against-humanity"]
    assert found(wb, "Obokata OR tiger") == {fl, cah}
    assert found(wb, "Bachelet AND tiger") == {cah}
    assert cah not in found(wb, "Bachelet NOT tiger")
    assert cah not in found(wb, "Bachelet -tiger")
    assert found(wb, "(Obokata OR tiger) AND Bachelet") == {fl, cah}
    assert found(wb, "(Obokata OR tiger) NOT (chair)") == {fl}


def test_prefix_wildcard_fuzzy(lib: tuple[Workbench, dict[str, int]]) -> None:
    wb, ids = lib
    fl = ids["un-special-rapporteur-forced-labour"]
    assert fl in found(wb, "Oboka*")
    assert marked(wb, "Oboka*", fl)[0].startswith("Obokata")
    assert fl in found(wb, "Ob?kata")
    assert fl in found(wb, "O*ata")
    assert fl in found(wb, "Obokaat~")  # one transposition = two edits
    assert fl in found(wb, "Obokatta~1")
    assert "Obokata" in marked(wb, "Obokatta~1", fl)


def test_fields(lib: tuple[Workbench, dict[str, int]]) -> None:
    wb, ids = lib
    fl = ids["un-special-rapporteur-forced-labour"]
    assert found(wb, "title:Rapporteur") == {fl}
    assert found(wb, 'title:"reasonable to conclude"') == {fl}
    assert fl in found(wb, 'collection:"China Digital Times"')
    assert ids["chinese-report"] not in found(wb, 'collection:"china digital times"')
    assert ids["chinese-report"] in found(wb, "kind:text")
    assert found(wb, "lang:zh") == {ids["chinese-report"]}
    assert found(wb, 'source:"China Digital Times"') == {fl}


def test_tags_match_children(lib: tuple[Workbench, dict[str, int]]) -> None:
    wb, ids = lib
    fl, lab = ids["un-special-rapporteur-forced-labour"], ids["labouring"]
    assert found(wb, 'tag:"Forced labour"') == {fl, lab}
    assert found(wb, 'tag:"Forced labour/Labour transfer"') == {fl}
    assert found(wb, 'tag:"labour transfer"') == {fl}
    assert found(wb, "tag:forced*") == {fl, lab}


def test_dates(lib: tuple[Workbench, dict[str, int]]) -> None:
    wb, ids = lib
    fl, cah = ids["un-special-rapporteur-forced-labour"], ids["un-report-crimes-against-humanity"]
    breach = ids["un-weighs-in-breach-of-human-rights-law"]
    assert found(wb, "date:[2022-08-01 TO 2022-09-30]") == {fl, cah}
    assert found(wb, "date:2022") == {fl, cah, breach}
    assert found(wb, "date:2022-10") == {breach}
    assert found(wb, "Bachelet date:[2022-09 TO *]") == {cah, breach}
    this_year = time.gmtime().tm_year  # the others fall back to their import date
    assert ids["chinese-report"] in found(wb, f"date:{this_year}")
    with pytest.raises(UserError, match="not a date"):
        wb.search("date:yesterday")


# --- scripts and folding ----------------------------------------------------------------------


def test_accent_folding_both_ways(lib: tuple[Workbench, dict[str, int]]) -> None:
    wb, ids = lib
    both = {ids["urumqi-accented"], ids["urumqi-plain"]}
    assert found(wb, "Urumqi") == both
    assert found(wb, "ÜRÜMQI") == both
    assert "Ürümqi" in marked(wb, "urumqi", ids["urumqi-accented"])
    assert "Urumqi" in marked(wb, "Ürümqi", ids["urumqi-plain"])


def test_chinese_bigrams(lib: tuple[Workbench, dict[str, int]]) -> None:
    wb, ids = lib
    zh = ids["chinese-report"]
    assert found(wb, "新疆") == {zh}
    assert "新疆" in marked(wb, "新疆", zh)
    assert found(wb, "维吾尔自治区") == {zh}
    assert "维吾尔自治区" in marked(wb, "维吾尔自治区", zh)
    assert found(wb, '"强迫劳动"') == {zh}
    assert found(wb, "巴") == {zh}  # one character: every bigram starting with it
    assert found(wb, "维吾尔自治州") == set()


def test_uyghur_and_presentation_forms(lib: tuple[Workbench, dict[str, int]]) -> None:
    wb, ids = lib
    ug, pdf = ids["uyghur-report"], ids["uyghur-pdf-extract"]
    assert found(wb, "ئۇيغۇر") == {ug, pdf}
    text = wb.document_text(pdf).text
    spans = wb.search_in_document(pdf, "ئۇيغۇر").spans
    assert len(spans) == 1
    s, e = spans[0]
    assert unicodedata.normalize("NFKC", text[s:e]) == "ئۇيغۇر"
    assert found(wb, '"ئۇيغۇر ئاپتونوم"') == {ug, pdf}
    assert found(wb, "ئۈرۈمچى") == {ug}
    assert found(wb, "ئۈرۈم") == set()  # part of a word is not a match...
    assert found(wb, "ئۈرۈم*") == {ug}  # ...but a prefix is
    # bidi controls in a query are ignored, as in documents
    assert found(wb, "\u2067ئۇيغۇر\u2069 rayoni") == {pdf}


def test_aliases_expand_at_query_time(lib: tuple[Workbench, dict[str, int]]) -> None:
    wb, ids = lib
    assert ids["wulumuqi"] not in found(wb, "Urumqi")
    wb.add_alias_group("Urumqi", ["Urumqi", "Ürümqi", "Wulumuqi", "乌鲁木齐"])
    try:
        got = found(wb, "urumqi")
        assert got == {ids["urumqi-accented"], ids["urumqi-plain"], ids["wulumuqi"],
                       ids["chinese-report"]}
        assert "乌鲁木齐" in marked(wb, "Wulumuqi", ids["chinese-report"])
        assert [g["name"] for g in wb.list_alias_groups()] == ["Urumqi"]
        events = wb.audit_events(object_type="alias_group")
        assert events[-1]["type"] == "creation"
    finally:
        wb.delete_alias_group("Urumqi")
    assert ids["wulumuqi"] not in found(wb, "Urumqi")
    assert wb.audit_events(object_type="alias_group")[-1]["type"] == "deletion"


# --- results ----------------------------------------------------------------------------------


def test_facets_count_all_matches(lib: tuple[Workbench, dict[str, int]]) -> None:
    wb, _ids = lib
    r = wb.search("report OR 报告", limit=1)
    assert r.total >= 5 and len(r.hits) == 1
    facets = {k: dict(v) for k, v in r.facets.items()}
    assert facets["collection"]["China Digital Times"] == 3
    assert facets["tag"]["Forced labour/Labour transfer"] == 1
    assert facets["year"]["2022"] == 3
    assert facets["kind"]["text"] == r.total
    assert facets["language"]["zh"] == 1
    only = wb.search("report", filters={"collection": "China Digital Times"})
    assert only.total == 3
    assert wb.search("report", filters={"year": 2022, "tag": "Forced labour"}).total == 1
    assert r.to_json()["facets"]["collection"] == [["China Digital Times", 3]]


def test_paging_and_ranking(lib: tuple[Workbench, dict[str, int]]) -> None:
    wb, _ids = lib
    full = wb.search("report", limit=100)
    first, second = wb.search("report", limit=2), wb.search("report", limit=2, offset=2)
    assert [h.document_id for h in first.hits + second.hits] == \
        [h.document_id for h in full.hits][:4]
    scores = [h.score for h in full.hits]
    assert scores == sorted(scores, reverse=True)


def test_search_in_document_returns_every_span_in_order(
        lib: tuple[Workbench, dict[str, int]]) -> None:
    wb, ids = lib
    cah = ids["un-report-crimes-against-humanity"]
    text = wb.document_text(cah).text
    m = wb.search_in_document(cah, "report")
    assert m.matches and m.spans == sorted(m.spans)
    words = [text[s:e].lower() for s, e in m.spans]
    assert set(words) <= {"report", "reports", "reported", "reporting"}
    assert len(words) == len([w for w in text.lower().replace("’", " ").split()
                              if w.strip(".,:;“”\"()[]").startswith("report")])
    assert all(p == 1 for p in m.pages)
    assert not wb.search_in_document(cah, "Obokata").matches


def test_saved_searches(lib: tuple[Workbench, dict[str, int]]) -> None:
    wb, _ids = lib
    wb.save_search("forced labour", '"forced labor" OR "forced labour"')
    wb.save_search("forced labour", '"forced labour"')
    assert [(s["name"], s["query"]) for s in wb.list_saved_searches()] == \
        [("forced labour", '"forced labour"')]
    with pytest.raises(UserError):
        wb.save_search("bad", "AND")
    wb.delete_saved_search("forced labour")
    assert wb.list_saved_searches() == []
    with pytest.raises(UserError):
        wb.delete_saved_search("forced labour")
