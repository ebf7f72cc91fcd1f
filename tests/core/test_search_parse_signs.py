"""A leading minus or plus works before a field, a phrase and a group, as before a word.

``-tag:Budget`` was read as the words "tag" and "budget" (a document tagged Budget was not
left out), and ``-"human rights"`` and ``-(a OR b)`` dropped the minus altogether: the
lexer took the sign as part of a word, or as a word of its own.
"""

from __future__ import annotations

import pytest

from workbench.search.parse import And, Field, Not, Or, Phrase, Word, parse


@pytest.mark.parametrize(("query", "tree"), [
    ("report -tag:Budget", And([Word("report"), Not(Field("tag", Word("Budget")))])),
    ('report -"human rights"', And([Word("report"), Not(Phrase("human rights"))])),
    ("report -(a OR b)", And([Word("report"), Not(Or([Word("a"), Word("b")]))])),
    ("+tag:x report", And([Field("tag", Word("x")), Word("report")])),
    ('(-title:"x y" z)', And([Not(Field("title", Phrase("x y"))), Word("z")])),
    # unchanged: a sign inside a word, a lone sign, a word after a sign, no field
    ("co-operation -x", And([Word("co-operation"), Not(Word("x"))])),
    ("a-b", Word("a-b")),
    ("report -foo:bar", And([Word("report"), Not(Word("foo:bar"))])),
])
def test_signs(query: str, tree: object) -> None:
    assert parse(query) == (tree, None)


def test_a_lone_sign_is_still_a_word() -> None:
    node, _ = parse("report -")
    assert node == And([Word("report"), Word("-")])
