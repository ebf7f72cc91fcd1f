"""Quote normalisation, the offset map back to the original, and re-anchoring decisions."""

from __future__ import annotations

import random

import pytest

from workbench.annotate.anchoring import (
    FUZZY_THRESHOLD,
    find_all,
    fuzzy_find,
    norm_quote,
    normalize,
    reanchor,
    selectors,
)


def locate(text: str, quote: str) -> str:
    nt = normalize(text)
    q = norm_quote(quote)
    hits = find_all(nt.text, q)
    assert len(hits) == 1, hits
    s, e = nt.to_original(hits[0], hits[0] + len(q))
    return text[s:e]


@pytest.mark.parametrize(("text", "quote", "expected"), [
    # pypdf's double spaces in justified text, and line breaks
    ("they  were   beaten\nwith  batons daily", "were beaten with batons",
     "were   beaten\nwith  batons"),
    # a word hyphenated at a line end, copied whole
    ("the inter-\nnational community", "international community",
     "inter-\nnational community"),
    # and the other way round: the copy keeps the hyphen and the break
    ("the international community", "inter-\nnational", "international"),
    # a soft hyphen inside a word
    ("arbi\u00adtrary detention", "arbitrary detention", "arbi\u00adtrary detention"),
    # curly versus straight quotes and apostrophes
    ("Bachelet\u2019s \u201cserious violations\u201d", "Bachelet's \"serious violations\"",
     "Bachelet\u2019s \u201cserious violations\u201d"),
    # NFKC: ligatures, no-break spaces, full-width letters
    ("\ufb01nal\u00a0report by \uff35\uff2e", "final report by UN",
     "\ufb01nal\u00a0report by \uff35\uff2e"),
    # decomposed accents match precomposed ones
    ("U\u0308ru\u0308mqi camps", "\u00dcr\u00fcmqi camps", "U\u0308ru\u0308mqi camps"),
    # en and em dashes fold to a hyphen
    ("2017\u20132019 \u2014 the peak", "2017-2019 - the peak", "2017\u20132019 \u2014 the peak"),
    # zero-width characters are ignored
    ("forced\u200b labour", "forced labour", "forced\u200b labour"),
    # scripts without spaces
    ("\u65b0\u7586\u7684\u5f3a\u8feb\u52b3\u52a8\uff0c\u8054\u5408\u56fd",
     "\u5f3a\u8feb\u52b3\u52a8,", "\u5f3a\u8feb\u52b3\u52a8\uff0c"),
])
def test_quotes_match_as_people_copy_them(text: str, quote: str, expected: str) -> None:
    assert locate(text, quote) == expected


def test_offset_map_is_exact_for_random_slices(corpus_texts: dict[str, str]) -> None:
    """Any slice of the original, looked up by its own text, maps back to a span whose text
    normalises the same, and every normalised char maps inside the original."""
    rng = random.Random(4)
    for text in corpus_texts.values():
        messy = (text.replace(" ", "  ").replace("tion", "ti\u00adon")
                 .replace("fi", "\ufb01").replace("\n\n", " \n \n"))
        nt = normalize(messy)
        for k in range(len(nt.text)):
            s, e = nt.to_original(k, k + 1)
            assert 0 <= s < e <= len(messy)
            assert nt.from_original(s) <= k
        for _ in range(60):
            a = rng.randrange(0, len(messy) - 80)
            piece = messy[a:a + rng.randrange(20, 80)]
            q = norm_quote(piece)
            hits = find_all(nt.text, q)
            assert hits
            found = [messy[slice(*nt.to_original(h, h + len(q)))] for h in hits]
            assert all(norm_quote(f) == q for f in found)


def test_fuzzy_find_gives_the_nearest_passage(corpus_texts: dict[str, str]) -> None:
    text = corpus_texts["un-report-crimes-against-humanity"]
    nt = normalize(text)
    m = fuzzy_find(nt, "Michele Bachelet finaly relesed her long overdue report")
    assert m is not None and m.score > 0.85
    assert "Bachelet finally released her long-overdue report" in text[m.start:m.end]
    nothing = fuzzy_find(nt, "zzzz qqqq xxxx")
    assert nothing is None or nothing.score < 0.5


def test_selectors_are_slices() -> None:
    text = "a" * 40 + "QUOTE" + "b" * 40
    assert selectors(text, 40, 45) == ("QUOTE", "a" * 32, "b" * 32)
    assert selectors(text, 0, 5) == ("aaaaa", "", "a" * 32)


TEXT = ("Detainees described torture. Later the report said torture was widespread. "
        "Officials denied torture in the camps.")


def anchor_for(quote_at: int, quote: str, new_text: str, old: str = TEXT):  # type: ignore[no-untyped-def]
    q, pre, suf = selectors(old, quote_at, quote_at + len(quote))
    assert q == quote
    return reanchor(q, pre, suf, quote_at, quote_at + len(q), len(old), new_text)


def test_same_range_holds() -> None:
    a = anchor_for(TEXT.index("Later"), "Later the report", TEXT)
    assert (a.status, a.start) == ("same", TEXT.index("Later"))


def test_exact_quote_moved_and_context_picks_the_occurrence() -> None:
    new = "HEADER LINE\n" + TEXT.replace("  ", " ")
    for i in [i for i in range(len(TEXT)) if TEXT.startswith("torture", i)]:
        a = anchor_for(i, "torture", new)
        assert a.status == "moved"
        assert a.start == i + len("HEADER LINE\n")


def test_context_elsewhere_when_the_text_was_reordered() -> None:
    parts = TEXT.split(". ")
    new = ". ".join(reversed(parts))
    i = TEXT.index("torture was")
    a = anchor_for(i, "torture", new)
    assert a.status == "moved"
    assert new[a.start - 12:a.end] == "report said torture"


def test_fuzzy_above_threshold_and_orphan_below() -> None:
    old = "The committee found that the detention was arbitrary and unlawful under law."
    i = old.index("the detention was arbitrary")
    close = old.replace("arbitrary", "arbitary")
    a = anchor_for(i, "the detention was arbitrary and unlawful", close, old)
    assert a.status == "fuzzy" and a.score >= FUZZY_THRESHOLD
    assert close[a.start:a.end].startswith("the detention was arbitary")
    gone = "The committee found nothing of note in its visit to the region."
    b = anchor_for(i, "the detention was arbitrary and unlawful", gone, old)
    assert b.status == "orphan"


def test_identical_occurrences_without_context_are_not_guessed() -> None:
    old = "x torture y"
    new = "torture and torture"
    a = reanchor("torture", "", "", 2, 9, len(old), new)
    assert a.status == "orphan" and a.candidate is not None and a.candidate.score == 1.0


def test_long_passages_are_placed_fast_and_exactly(corpus_texts: dict[str, str]) -> None:
    """A page-long highlight in a text with scattered changes: placed by words, edges
    refined by characters, in well under a second (character difflib would take seconds)."""
    import re
    import time

    text = " ".join(corpus_texts.values())
    changed = re.sub(r"\b(\w)(\w)(\w)(\w{5})",
                     lambda m: m.group(1) + m.group(3) + m.group(2) + m.group(4)
                     if m.start() % 7 == 0 else m.group(0), text)
    for length in (3000, 9000):
        q, pre, suf = selectors(text, 200, 200 + length)
        t = time.perf_counter()
        a = reanchor(q, pre, suf, 200, 200 + length, len(text), changed)
        assert time.perf_counter() - t < 2.0
        assert a.status == "fuzzy" and a.score >= FUZZY_THRESHOLD
        assert abs(a.start - 200) <= 1 and abs(a.end - (200 + length)) <= 2


def test_a_passage_cut_by_a_page_header_gets_a_split_candidate() -> None:
    old = "They described the camp\n\nas a place of torture and forced labour."
    q, pre, suf = selectors(old, old.index("the camp"), old.index(" of torture"))
    new = ("They described the camp\n\nCONFIDENTIAL Page 2 of 9\n\n"
           "as a place of torture and forced labour.")
    a = reanchor(q, pre, suf, old.index("the camp"), old.index(" of torture"), len(old), new)
    assert a.status == "orphan" and a.candidate is not None
    assert a.candidate.method == "split"
    assert new[a.candidate.start:a.candidate.end] == (
        "the camp\n\nCONFIDENTIAL Page 2 of 9\n\nas a place")
