"""The results heading does not wrap a query in quotes when it has its own: a tag chosen in
the sidebar read 'Results for “tag:"Arbitrary detention"”' (session 15's walk)."""

from __future__ import annotations

from typing import Any


def test_a_query_with_its_own_quotes_is_shown_as_typed(window: Any) -> None:
    panel = window.search_panel
    panel.run('tag:"Arbitrary detention"')
    assert panel.heading.text() == 'Results for tag:"Arbitrary detention"'
    panel.run("detention camps")
    assert panel.heading.text() == "Results for “detention camps”"
