"""An event's source passage is quoted once in the chronology (a passage ending with ” read
“…””, as in the highlight dialog before session 16)."""

from __future__ import annotations

from ui.chronology.event_dialog import source_line


def test_a_source_passage_is_quoted_once() -> None:
    src = {"quote": "it is “reasonable to conclude”", "title": "Report", "page": 3}
    assert source_line(src) == "“it is “reasonable to conclude” — Report, p. 3"
    assert source_line({"quote": "plain words", "title": "T"}) == "“plain words” — T"
