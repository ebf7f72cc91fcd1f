"""Search hits as rich text: snippets with the matched words emphasised (pure functions)."""

from __future__ import annotations

import html
from typing import Any

SHOWN = 2  # snippets shown under a hit
MARK = ("<span style='background-color:#ffe08a; color:#111; font-weight:600'>", "</span>")


def emphasise(text: str, spans: list[tuple[int, int]], offset: int) -> str:
    """``spans`` are layer offsets; ``offset`` is where ``text`` starts in the layer."""
    out, pos = [], 0
    for start, end in sorted(spans):
        a, b = max(start - offset, pos), min(end - offset, len(text))
        if b <= a:
            continue
        out.append(html.escape(text[pos:a]))
        out.append(MARK[0] + html.escape(text[a:b]) + MARK[1])
        pos = b
    out.append(html.escape(text[pos:]))
    return "".join(out).replace("\n", " ")


def hit_html(hit: Any) -> str:
    title = html.escape(hit.title or f"Document {hit.document_id}")
    meta = [hit.kind.upper()] if hit.kind else []
    if hit.page:
        meta.append(f"page {hit.page}")
    snippets = hit.snippets or []
    parts = []
    for sn in snippets[:SHOWN]:
        parts.append("…" + emphasise(sn.text, [tuple(s) for s in sn.spans], sn.start) + "…")
    if not parts and hit.snippet:
        parts.append(html.escape(hit.snippet))
    body = "<br>".join(parts)
    return (f"<div style='font-weight:600; font-size:105%'>{title}</div>"
            f"<div style='color:#7a8594; font-size:90%'>{' · '.join(meta)}</div>"
            f"<div style='margin-top:4px'>{body}</div>")


BODY_BLOCK = 2  # hit_html's blocks: the title, the meta line, then the snippets
LINE_BREAK = "\u2028"  # how a rich-text document holds a <br>


def snippet_at(block_number: int, text_before: str) -> int:
    """Which snippet of a row a click fell in, from the block clicked in the row's rich-text
    document and the block's text before the click: 0 outside the snippets."""
    return text_before.count(LINE_BREAK) if block_number == BODY_BLOCK else 0


def first_match(hit: Any, snippet: int = 0) -> tuple[int, int, str] | None:
    """(start, end, words) of the first match of the ``snippet``-th snippet shown (of the
    first snippet when there is no such one), to scroll the viewer to and mark."""
    shown = (hit.snippets or [])[:SHOWN]
    if 0 < snippet < len(shown):
        sn = shown[snippet]
        for start, end in sn.spans:
            a, b = start - sn.start, end - sn.start
            return int(start), int(end), sn.text[a:b] if 0 <= a < b <= len(sn.text) else ""
    for sn in hit.snippets or []:
        for start, end in sn.spans:
            a, b = start - sn.start, end - sn.start
            return int(start), int(end), sn.text[a:b] if 0 <= a < b <= len(sn.text) else ""
    if hit.spans:
        start, end = hit.spans[0]
        return int(start), int(end), ""
    return None
