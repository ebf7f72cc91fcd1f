"""A comparison's changes are whole words (session 17, a fresh-user walk): "quietly published"
against "finally released" was marked "quietly publish|ed", the shared "ed" left out as if it
were the same on both sides. A change that starts or ends inside a word now takes the whole
word on both sides; scripts written without spaces keep their character changes."""

from __future__ import annotations

from workbench.copies.compare import compare_texts

OPENING = ("With about ten minutes to midnight on her last day as UN High Commissioner for "
           "Human Rights, Michelle Bachelet {} her long-overdue report on Xinjiang. The "
           "46-page report concluded that the detention of Uyghurs may constitute crimes "
           "against humanity.")


def _pairs(left: str, right: str) -> list[tuple[str, str]]:
    result = compare_texts(left, right)
    changes = result["changes"]
    for ch in changes:  # the offsets still point at the texts given
        assert left[ch["left"][0]:ch["left"][1]] == ch["left_text"]
        assert right[ch["right"][0]:ch["right"][1]] == ch["right_text"]
    return [(ch["left_text"], ch["right_text"]) for ch in changes]


def test_a_changed_phrase_is_marked_as_whole_words_on_both_sides() -> None:
    assert _pairs(OPENING.format("quietly published"), OPENING.format("finally released")) \
        == [("quietly published", "finally released")]


def test_a_changed_ending_marks_the_whole_word() -> None:
    assert _pairs(OPENING.format("published"), OPENING.format("publishes")) == \
        [("published", "publishes")]
    assert _pairs(OPENING.format("published"), OPENING.format("publish")) == \
        [("published", "publish")]
    # a word added between two others stays just that word
    assert _pairs(OPENING.format("published"), OPENING.format("finally published")) == \
        [("", "finally")]


def test_each_change_inside_a_word_takes_the_word_and_two_in_one_word_become_one() -> None:
    left = OPENING.format("published") + " It was read in Geneva."
    right = OPENING.format("published") + " It was reread in Genf."
    assert _pairs(left, right) == [("read", "reread"), ("Geneva", "Genf")]
    left = OPENING.format("published") + " Both organisation heads spoke."
    right = OPENING.format("published") + " Both organizations heads spoke."
    assert _pairs(left, right) == [("organisation", "organizations")]


def test_chinese_keeps_its_character_changes() -> None:
    left = "他们在新疆的拘留营里被关押了很多年。这份报告说明了情况。"
    right = "他们在新疆的再教育营里被关押了很多年。这份报告说明了情况。"
    assert _pairs(left, right) == [("拘留", "再教育")]


def test_the_share_unchanged_counts_what_is_marked() -> None:
    result = compare_texts(OPENING.format("quietly published"),
                           OPENING.format("finally released"))
    text = OPENING.format("quietly published")
    # the marked words are the only difference: the rest, both sides, is unchanged
    unchanged = 2 * (len(text) - len("quietly published"))
    total = len(text) + len(OPENING.format("finally released"))
    assert abs(result["similarity"] - unchanged / total) < 0.002
