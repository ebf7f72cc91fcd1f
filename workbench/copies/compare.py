"""What differs between two copies: a character diff of their texts, as ranges in each.

The texts are compared in their normalised view (``annotate.normtext``: whitespace runs,
line breaks, curly quotes, dashes, ligatures and end-of-line hyphens folded), so a PDF's
line breaks against a web page's paragraphs are no change; each change is then mapped back
to ``[start, end)`` offsets in the original texts. diff-match-patch finds the edits and its
semantic clean-up turns character noise into whole words and sentences (a changed sentence
reads as a replaced phrase, a cut paragraph as one deletion). A change that still starts or
ends inside a word ("quietly publish|ed" against "finally releas|ed": the shared ending is
equal text to the diff) is then widened to the whole word on both sides, and changes that
meet inside one word become one; in scripts written without spaces the characters are the
words, so there nothing is widened.
"""

from __future__ import annotations

from typing import Any

from ..annotate.normtext import NormText, normalize
from .signature import _UNSPACED_RE

DIFF_TIMEOUT = 5.0  # seconds: past this a long pair gets a coarser (still correct) diff


def compare_texts(left: str, right: str) -> dict[str, Any]:
    """``{"similarity", "changes": [{"kind", "left", "right", "left_text", "right_text"}]}``;
    kind is insert (only in ``right``), delete (only in ``left``) or replace; changes are in
    text order. ``similarity``: the share of the two normalised texts that is unchanged."""
    from diff_match_patch import diff_match_patch

    nl, nr = normalize(left), normalize(right)
    dmp = diff_match_patch()
    dmp.Diff_Timeout = DIFF_TIMEOUT
    diffs = dmp.diff_main(nl.text, nr.text, len(nl.text) + len(nr.text) > 20_000)
    dmp.diff_cleanupSemantic(diffs)
    spans: list[list[int]] = []  # [left start, left end, right start, right end]
    i = j = 0
    pending: list[int] | None = None
    for op, chunk in diffs:
        n = len(chunk)
        if op == 0:
            if pending is not None:
                spans.append(pending)
                pending = None
            i, j = i + n, j + n
            continue
        if pending is None:
            pending = [i, i, j, j]
        if op < 0:
            i += n
            pending[1] = i
        else:
            j += n
            pending[3] = j
    if pending is not None:
        spans.append(pending)
    spans = _whole_words(spans, nl.text, nr.text)
    changes: list[dict[str, Any]] = []
    for span in spans:
        _emit(changes, span, nl, nr, left, right)
    equal = len(nl.text) - sum(b - a for a, b, _c, _d in spans)
    total = len(nl.text) + len(nr.text)
    return {"similarity": round(2 * equal / total, 3) if total else 1.0, "changes": changes}


def _is_word(ch: str) -> bool:
    return ch.isalnum() and not _UNSPACED_RE.match(ch)


def _whole_words(spans: list[list[int]], lt: str, rt: str) -> list[list[int]]:
    """Widens each span that starts or ends inside a word to the whole word, on both sides at
    once (the text between two spans is equal, so a step back or on is the same character on
    both sides), and merges spans that then meet."""
    out: list[list[int]] = []
    for k, (a, b, c, d) in enumerate(spans):
        starts_in_word = (b > a and _is_word(lt[a])) or (d > c and _is_word(rt[c]))
        ends_in_word = (b > a and _is_word(lt[b - 1])) or (d > c and _is_word(rt[d - 1]))
        low = out[-1][1] if out else 0
        if starts_in_word:
            while a > low and _is_word(lt[a - 1]):
                a, c = a - 1, c - 1
        high = spans[k + 1][0] if k + 1 < len(spans) else len(lt)
        if ends_in_word:
            while b < high and _is_word(lt[b]):
                b, d = b + 1, d + 1
        if out and a <= out[-1][1]:  # reached the span before: one change
            out[-1][1], out[-1][3] = b, d
        else:
            out.append([a, b, c, d])
    return out


def _emit(changes: list[dict[str, Any]], span: list[int], nl: NormText, nr: NormText,
          left: str, right: str) -> None:
    a, b = _original(nl, span[0], span[1], left)
    c, d = _original(nr, span[2], span[3], right)
    if a == b and c == d:  # only whitespace differed
        return
    kind = "replace" if a < b and c < d else "delete" if a < b else "insert"
    changes.append({"kind": kind, "left": [a, b], "right": [c, d],
                    "left_text": left[a:b], "right_text": right[c:d]})


def _original(view: NormText, a: int, b: int, text: str) -> tuple[int, int]:
    """The original span of the normalised span ``[a, b)``, without the whitespace at its
    ends; an empty span is the original offset where it sits."""
    if b > a:
        start, end = view.to_original(a, b)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            return start, end
        return start, start
    if a >= len(view.text):
        return view.original_length, view.original_length
    start = view.to_original(a, a + 1)[0]
    return start, start
