"""A hit with no words to mark (a tag or a field filter alone) shows the text's opening cut at
a word, with an ellipsis: it was its first 200 characters, cut mid-word ("…most damning
assessment yet on Ch"; session 15's walk, clicking a tag in the sidebar)."""

from __future__ import annotations

from workbench.search.backend import Marks
from workbench.search.hits import hits_of

TEXT = ("UN Report: the most damning assessment yet on China's treatment of the Uyghurs "
        "finds serious human rights violations that may amount to crimes against humanity, "
        "and calls on the government to release everyone arbitrarily detained at once.")


def test_a_hit_without_marks_opens_at_a_word_with_an_ellipsis() -> None:
    assert len(TEXT) > 200
    hits, gone = hits_of({7: ("Report", "text", 1, TEXT, [(1, 0, len(TEXT))])},
                         [(7, 1.0)], Marks())
    assert gone == 0
    [hit] = hits
    assert hit.snippet.endswith("…")
    shown = hit.snippet[:-1]
    assert TEXT.startswith(shown) and len(shown) <= 200
    assert TEXT[len(shown)] == " "  # cut between words
    assert hit.spans == []


def test_a_short_text_is_shown_whole() -> None:
    hits, _ = hits_of({7: ("Note", "text", 1, "A short note.", [(1, 0, 13)])},
                      [(7, 1.0)], Marks())
    assert hits[0].snippet == "A short note."
