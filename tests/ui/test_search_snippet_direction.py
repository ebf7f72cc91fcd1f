"""Each snippet of a hit is laid out in its own direction: one paragraph held both, so a first
snippet that began with Arabic turned an English or Chinese second one right-to-left, its
closing "…" on the left (a walk)."""

from __future__ import annotations

from types import SimpleNamespace

from ui.search.render import hit_html, snippet_at

ARABIC = "أصدرت الأمم المتحدة تقريرا عن العمل القسري في شينجيانغ"
ENGLISH = "security forces detained the villagers near the border"


def _snippet(text: str, start: int) -> SimpleNamespace:
    return SimpleNamespace(text=text, start=start, spans=[(start, start + 5)])


def test_each_snippet_takes_the_direction_of_its_own_words() -> None:
    hit = SimpleNamespace(document_id=1, title="Report", kind="html", page=None, snippet="",
                          snippets=[_snippet(ARABIC + " UN", 0), _snippet(ENGLISH + " قال", 500)])
    html = hit_html(hit)
    first, second = html.index(ARABIC[10:20]), html.index(ENGLISH[10:20])
    assert html.rfind("dir='rtl'", 0, first) > html.rfind("dir='ltr'", 0, first)
    assert html.rfind("dir='ltr'", 0, second) > html.rfind("dir='rtl'", 0, second)


def test_a_click_names_the_snippet_by_its_paragraph() -> None:
    assert snippet_at(2) == 0
    assert snippet_at(3) == 1
    assert snippet_at(1) == 0 and snippet_at(0) == 0  # the title, the meta line
