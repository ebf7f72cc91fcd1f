"""Language detection: which part of a document decides its language, and what is too little.

A long document is classified from a bounded sample spread over it, not from its start: an
English cover, table of contents or abstract in front of a Uyghur report must not make the
report English. Each mixed document here is also classified whole, to show the sample gives
the answer the whole text gives.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest

from tests.support.language_texts import body, english
from workbench import language
from workbench.persist import PAGE_SEPARATOR


def _whole(text: str) -> str | None:
    code, confidence = language._model().classify(text)
    return str(code) if confidence >= language.MIN_CONFIDENCE else None


@pytest.mark.parametrize(("name", "text", "expected"), [
    # A long report whose English front matter (cover, contents, summary) runs past 20,000
    # characters: its start alone says English.
    ("long English front matter", english(23_000) + PAGE_SEPARATOR + body("ug", 150_000),
     "ug"),
    ("English header", english(1_500) + PAGE_SEPARATOR + body("ug", 10_000), "ug"),
    ("English appendix", body("zh", 40_000) + PAGE_SEPARATOR + english(5_000), "zh"),
    ("English quotes in one paragraph of five",
     "\n\n".join(english(400) if i % 5 == 4 else body("ar", 1_600) for i in range(30)), "ar"),
    ("Uyghur quotes in an English report",
     "\n\n".join(body("ug", 300) if i % 5 == 4 else english(2_000) for i in range(30)), "en"),
])
def test_mixed_documents_take_the_language_of_their_body(name: str, text: str,
                                                         expected: str) -> None:
    assert _whole(text) == expected, f"{name}: the whole text itself is not {expected}"
    assert language.detect_language(text) == expected, name


def test_a_long_document_is_sampled_from_start_to_end_within_the_budget() -> None:
    text = " ".join(f"w{n:06}" for n in range(30_000))  # each word says where it stands
    chosen = language.sample(text)
    assert len(chosen) <= language.SAMPLE_CHARS + language.SAMPLE_WINDOWS
    places = [int(w[1:]) for w in chosen.split() if len(w) == 7 and w.startswith("w")]
    assert min(places) > 100, "the head (a cover, a table of contents) is skipped"
    gap = max(b - a for a, b in pairwise(places))
    assert gap <= 15_000, "the middle is in the sample: no half of the document is left out"
    assert max(places) > 29_000, "the end is in the sample"
    assert all(len(part.split()[0]) == 7 for part in chosen.split("\n")), "windows start at a word"


def test_the_classifier_sees_only_the_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    class Recording:
        def classify(self, text: str) -> tuple[str, float]:
            seen.append(text)
            return "ug", 0.99

    monkeypatch.setattr(language, "_identifier", Recording())
    text = english(2_000) + body("ug", 200_000)
    assert language.detect_language(text) == "ug"
    assert len(seen) == 1 and len(seen[0]) <= language.SAMPLE_CHARS + language.SAMPLE_WINDOWS
    assert language.detect_language(body("ug", 900)) == "ug"
    assert seen[-1] == body("ug", 900), "a short text is classified whole"


@pytest.mark.parametrize(("text", "enough"), [
    ("a" * 19, False), ("a" * 20, True),
    ("新疆人权状况", False),  # 6 CJK characters weigh 18 letters
    ("新疆人权状况报", True),
    ("12 345 678 " * 5_000 + "OK", False),  # a long table of figures
    ("—" * 10_000 + " witness report detention camp", True),
])
def test_too_few_letters_says_nothing(text: str, enough: bool,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    class Sure:
        def classify(self, text: str) -> tuple[str, float]:
            return "en", 1.0

    monkeypatch.setattr(language, "_identifier", Sure())
    monkeypatch.setattr(language, "sample", lambda text: text)  # the rule, not the sample
    assert (language.detect_language(text) is not None) is enough


def test_unsure_or_failing_model_says_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    class Unsure:
        def classify(self, text: str) -> Any:
            return "en", 0.4

    class Broken:
        def classify(self, text: str) -> Any:
            raise IndexError("damaged table")

    monkeypatch.setattr(language, "_identifier", Unsure())
    assert language.detect_language(english(3_000)) is None
    monkeypatch.setattr(language, "_identifier", Broken())
    assert language.detect_language(english(3_000)) is None


@pytest.mark.parametrize(("lang", "expected"), [("ug", "ug"), ("zh", "zh"), ("ar", "ar")])
def test_plain_documents(lang: str, expected: str) -> None:
    for chars in (200, 5_000, 120_000):
        assert language.detect_language(body(lang, chars)) == expected, chars
    assert language.detect_language(english(40_000)) == "en"
