"""Maps between a text layer's offsets and what the viewer shows (pure Python, no Qt).

The viewer shows the layer text with a separator line before each page. Highlights, search hits
and selections are stored in *layer* offsets (Python code points); Qt counts *UTF-16 units* in the
displayed text. ``DisplayText`` converts both ways so a highlight lands on the same characters
whatever script or emoji the text contains.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass
class DisplayText:
    text: str
    # mapped pieces: (display_start, layer_start, length), sorted by both starts
    pieces: list[tuple[int, int, int]]
    separators: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, page)
    _astral: list[int] = field(default_factory=list)  # display offsets of non-BMP characters

    def __post_init__(self) -> None:
        self._astral = [i for i, ch in enumerate(self.text) if ord(ch) > 0xFFFF]
        self._d_starts = [p[0] for p in self.pieces]
        self._l_starts = [p[1] for p in self.pieces]
        # Qt position of each astral char, for the inverse conversion
        self._astral_q = [i + n for n, i in enumerate(self._astral)]

    # --- layer <-> display (code points) -------------------------------------------------------

    def to_display(self, layer_off: int) -> int:
        if not self.pieces:
            return layer_off
        k = max(0, bisect.bisect_right(self._l_starts, layer_off) - 1)
        d, ly, n = self.pieces[k]
        return d + min(max(layer_off - ly, 0), n)

    def to_layer(self, display_off: int) -> int:
        if not self.pieces:
            return display_off
        k = bisect.bisect_right(self._d_starts, display_off) - 1
        if k < 0:
            return self.pieces[0][1]
        d, ly, n = self.pieces[k]
        if display_off <= d + n:
            return ly + (display_off - d)
        # inside a separator: snap to the start of the next page's text
        return self.pieces[k + 1][1] if k + 1 < len(self.pieces) else ly + n

    # --- display code points <-> Qt UTF-16 positions ---------------------------------------------

    def qt(self, display_off: int) -> int:
        return display_off + bisect.bisect_left(self._astral, display_off)

    def from_qt(self, pos: int) -> int:
        return pos - bisect.bisect_left(self._astral_q, pos)

    def layer_to_qt(self, layer_off: int) -> int:
        return self.qt(self.to_display(layer_off))

    def qt_to_layer(self, pos: int) -> int:
        return self.to_layer(self.from_qt(pos))

    def page_at(self, display_off: int) -> int | None:
        k = bisect.bisect_right([s[0] for s in self.separators], display_off) - 1
        return self.separators[k][2] if k >= 0 else None


def separator_label(number: int, total: int) -> str:
    return f"Page {number} of {total}"


def build_display(text: str, pages: list[tuple[int, int, int]]) -> DisplayText:
    """Layer text plus a separator line before each page (only when there are 2+ pages)."""
    if len(pages) < 2:
        return DisplayText(text, [(0, 0, len(text))])
    parts: list[str] = []
    pieces: list[tuple[int, int, int]] = []
    seps: list[tuple[int, int, int]] = []
    out = 0
    pos = 0
    total = len(pages)
    for number, start, end in pages:
        start = max(start, pos)
        if start > pos:  # the gap between pages (the core joins pages with blank lines)
            gap = text[pos:start].strip("\n")
            if gap:
                pieces.append((out, pos, start - pos))
                parts.append(text[pos:start])
                out += start - pos
        label = separator_label(number, total)
        if out:  # a blank line before the separator, outside any mapped piece
            lead = "\n" if parts[-1].endswith("\n") else "\n\n"
            parts.append(lead)
            out += len(lead)
        seps.append((out, out + len(label), number))
        parts.append(label + "\n")
        out += len(label) + 1
        pieces.append((out, start, end - start))
        parts.append(text[start:end])
        out += end - start
        pos = end
    if pos < len(text):
        pieces.append((out, pos, len(text) - pos))
        parts.append(text[pos:])
    return DisplayText("".join(parts), pieces, seps)
