"""Where each page sits in the page view, and the mapping between widget pixels and PDF points.

Pure geometry (no widgets), so the page view, its tests and the benchmark agree on one layout:
pages stacked top to bottom with a gap, centred horizontally, all drawn at one zoom. Page
coordinates are PDF points with the origin at the page's top-left corner as displayed — the
unit of ``QPdfDocument.pagePointSize``, ``QPdfSelection`` bounds and the core's page geometry.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

# 100 % shows a page at its printed size on a 96 dpi screen (a point is 1/72 inch).
POINT_PX = 96 / 72
GAP = 12  # pixels between pages and around them
ZOOM_STEPS = [0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0,
              5.0, 6.0, 8.0]
MIN_ZOOM, MAX_ZOOM = ZOOM_STEPS[0], ZOOM_STEPS[-1]


def clamp_zoom(zoom: float) -> float:
    return min(max(zoom, MIN_ZOOM), MAX_ZOOM)


def next_zoom(zoom: float, step: int) -> float:
    """The next preset zoom above (step > 0) or below (step < 0) ``zoom``."""
    if step > 0:
        return next((z for z in ZOOM_STEPS if z > zoom + 1e-6), MAX_ZOOM)
    return next((z for z in reversed(ZOOM_STEPS) if z < zoom - 1e-6), MIN_ZOOM)


@dataclass
class PageLayout:
    """Page sizes in points and the zoom; every rectangle it returns is (x, y, w, h) in
    content pixels (the scrolled canvas, before the scroll offset is taken away)."""

    sizes: list[tuple[float, float]] = field(default_factory=list)  # (width, height) points
    zoom: float = 1.0
    viewport_width: int = 0
    _tops: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.relayout()

    @property
    def scale(self) -> float:
        """Pixels per point."""
        return self.zoom * POINT_PX

    def relayout(self) -> None:
        y, self._tops = GAP, []
        for _w, h in self.sizes:
            self._tops.append(y)
            y += round(h * self.scale) + GAP
        self._height = y

    def set_zoom(self, zoom: float) -> None:
        self.zoom = clamp_zoom(zoom)
        self.relayout()

    @property
    def count(self) -> int:
        return len(self.sizes)

    def content_width(self) -> int:
        widest = max((w for w, _h in self.sizes), default=0.0)
        return max(round(widest * self.scale) + 2 * GAP, self.viewport_width)

    def content_height(self) -> int:
        return self._height if self.sizes else 0

    def page_rect(self, index: int) -> tuple[int, int, int, int]:
        """Page ``index`` (0-based) in content pixels."""
        w, h = self.sizes[index]
        pw, ph = round(w * self.scale), round(h * self.scale)
        x = max(GAP, (self.content_width() - pw) // 2)
        return x, self._tops[index], pw, ph

    def page_at(self, y: float) -> int:
        """The page whose band (the page and the gap above it) holds content ``y``."""
        if not self._tops:
            return 0
        return max(0, min(bisect.bisect_right(self._tops, y + GAP) - 1, self.count - 1))

    def visible_pages(self, top: float, height: float) -> range:
        if not self._tops:
            return range(0)
        return range(self.page_at(top), self.page_at(top + height) + 1)

    def top_of(self, index: int) -> int:
        return self._tops[index] if self._tops else 0

    # --- points <-> content pixels -------------------------------------------------------------

    def to_content(self, index: int, x: float, y: float) -> tuple[float, float]:
        px, py, _w, _h = self.page_rect(index)
        return px + x * self.scale, py + y * self.scale

    def to_page(self, index: int, cx: float, cy: float) -> tuple[float, float]:
        """Content pixels to points on page ``index`` (may lie outside the page)."""
        px, py, _w, _h = self.page_rect(index)
        return (cx - px) / self.scale, (cy - py) / self.scale

    def rect_to_content(self, index: int, rect: list[float] | tuple[float, ...]
                        ) -> tuple[float, float, float, float]:
        """A ``[x0, y0, x1, y1]`` point rectangle as (x, y, w, h) content pixels."""
        x0, y0 = self.to_content(index, rect[0], rect[1])
        return x0, y0, (rect[2] - rect[0]) * self.scale, (rect[3] - rect[1]) * self.scale

    def fit_width_zoom(self, index: int, available: int) -> float:
        w = self.sizes[index][0] if self.sizes else 0.0
        return clamp_zoom((available - 2 * GAP) / (w * POINT_PX)) if w > 0 else 1.0

    def fit_page_zoom(self, index: int, width: int, height: int) -> float:
        if not self.sizes:
            return 1.0
        w, h = self.sizes[index]
        if w <= 0 or h <= 0:
            return 1.0
        return clamp_zoom(min((width - 2 * GAP) / (w * POINT_PX),
                              (height - 2 * GAP) / (h * POINT_PX)))
