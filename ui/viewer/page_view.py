"""The page view of the Original tab: pages drawn by us, so highlights can be drawn on them.

Why not ``QPdfView``: it paints the pages itself and gives no page geometry back (where a page
sits in the viewport, at what scale), so nothing can be painted over a page in its coordinates,
nor can a mouse position be turned into a point on the page. This is a ``QAbstractScrollArea``
that lays the pages out itself (``page_layout``), asks its source for page images off the GUI
thread (``page_render``: only the visible pages and their neighbours, cached, capped in size) and
paints marks over them (``page_marks``). One widget paints every page: 300 page widgets would
cost layout work on every zoom.

Keys: Page Up/Down (a screen within a tall page, else a page), Home/End, Ctrl+= / Ctrl++ /
Ctrl+- / Ctrl+0, Escape, the menu key (Shift+F10) for the chosen highlight's menu; Ctrl+wheel
zooms about the mouse. A drag selects text (Shift-drag or the region tool: a rectangle; the
redact tool: an area to redact); a click on a highlight chooses it, a right-click opens its menu.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QToolTip, QWidget

from .page_layout import GAP, PageLayout, next_zoom
from .page_marks import Overlays, Selection, paint_page_marks
from .page_sources import PageSource, Rect


class PageView(QAbstractScrollArea):
    page_changed = Signal(int)  # 1-based
    zoom_changed = Signal(float)
    selection_made = Signal(object)  # Selection, when a drag ends
    selection_cleared = Signal()
    highlight_clicked = Signal(int)
    highlight_activated = Signal(int)  # double-click: edit it
    highlight_menu_requested = Signal(int, QPoint)  # right-click or menu key; global position
    words_wanted = Signal(int)  # a shown page whose OCR words are not loaded yet
    tool_changed = Signal(str)  # Escape too: the tool buttons follow

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("PDF pages")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setCursor(Qt.CursorShape.IBeamCursor)
        self.pages = PageLayout()
        self.source: PageSource | None = None
        self.overlays = Overlays()
        self.selection: Selection | None = None
        self.tool = "text"  # "text" | "region" | "redact"
        self.fit: str | None = "width"  # kept on resize: "width", "page" or None (a set zoom)
        self.current = 0  # 0-based
        self.sharp: set[int] = set()  # pages painted from an image at their size, last paint
        self.paints = 0  # paint events so far (the benchmark waits for the next one)
        self._pinned: tuple[int, int] | None = None  # (page, scroll value) set by go_to_page
        self._press: tuple[int, QPointF, QPointF, str] | None = None  # page, pt, vp pos, mode
        self._dragging = False
        self._wheel = 0
        self._words_asked: set[int] = set()
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.horizontalScrollBar().valueChanged.connect(lambda _v: self.viewport().update())

    # --- content ------------------------------------------------------------------------------

    def set_source(self, source: PageSource | None) -> None:
        if self.source is not None:
            try:
                self.source.ready.disconnect(self._page_ready)
            except (RuntimeError, TypeError):
                pass
        self.source = source
        self.selection, self._press, self._pinned = None, None, None
        self.reset_words()  # the marks stay: the document's owner sets and clears them
        self.pages = PageLayout(source.sizes() if source is not None else [],
                                viewport_width=self.viewport().width())
        if source is not None:
            source.ready.connect(self._page_ready)
        self.current = 0
        self._apply_fit()
        self._sync_bars()
        self.verticalScrollBar().setValue(0)
        self.horizontalScrollBar().setValue(0)
        self.viewport().update()
        self.page_changed.emit(1)

    @property
    def page_count(self) -> int:
        return self.pages.count

    @property
    def zoom(self) -> float:
        return self.pages.zoom

    def refresh(self) -> None:
        self.viewport().update()

    def set_tool(self, tool: str) -> None:
        changed, self.tool = tool != self.tool, tool
        self.viewport().setCursor(Qt.CursorShape.IBeamCursor if tool == "text"
                                  else Qt.CursorShape.CrossCursor)
        if changed:
            self.tool_changed.emit(tool)

    def clear_selection(self) -> None:
        if self.selection is not None:
            self.selection = None
            self.viewport().update()
            self.selection_cleared.emit()

    # --- zoom ---------------------------------------------------------------------------------

    def set_zoom(self, zoom: float, anchor: QPointF | None = None) -> None:
        """Zooms keeping the page point under ``anchor`` (viewport pixels: the mouse, for
        Ctrl+wheel) in place; without one, the reader's column (``_reading_point``)."""
        self.fit = None
        self._zoom_to(zoom, anchor)

    def zoom_step(self, step: int, anchor: QPointF | None = None) -> None:
        self.set_zoom(next_zoom(self.zoom, step), anchor)

    def fit_width(self) -> None:
        self.fit = "width"
        self._apply_fit(keep=True)

    def fit_page(self) -> None:
        self.fit = "page"
        self._apply_fit(keep=True)
        self.go_to_page(self.current + 1)

    def _apply_fit(self, keep: bool = False) -> None:
        if not self.pages.count or self.fit is None:
            return
        vp = self.viewport()
        # Fit as if the vertical scroll bar were there, or the fit would add it and then overflow.
        width = vp.width() - (0 if self.verticalScrollBar().isVisible()
                              else self.verticalScrollBar().sizeHint().width())
        zoom = (self.pages.fit_width_zoom(self.current, width) if self.fit == "width"
                else self.pages.fit_page_zoom(self.current, width, vp.height()))
        if keep:
            self._zoom_to(zoom, None)
        else:
            self.pages.set_zoom(zoom)
            self.zoom_changed.emit(self.zoom)

    def _zoom_to(self, zoom: float, anchor: QPointF | None) -> None:
        if not self.pages.count:
            return
        at = anchor if anchor is not None else self._reading_point()
        index, px, py = self._page_point(at)
        self.pages.set_zoom(zoom)
        self._sync_bars()
        cx, cy = self.pages.to_content(index, px, py)
        self.horizontalScrollBar().setValue(round(cx - at.x()))
        self._pinned = None
        self.verticalScrollBar().setValue(round(cy - at.y()))
        self.viewport().update()
        self.zoom_changed.emit(self.zoom)

    def _reading_point(self) -> QPointF:
        """Where keyboard and button zoom hold the page still: the top line, at the left edge
        of what is shown of the page. The view's middle made a page zoomed from fit width
        slide sideways, its lines' beginnings off the left edge; the mouse (as for Ctrl+wheel)
        may rest anywhere, over another pane even."""
        y = GAP + 1
        index = self.pages.page_at(self.verticalScrollBar().value() + y)
        left = self.pages.page_rect(index)[0] - self.horizontalScrollBar().value()
        return QPointF(max(0, left), y)

    # --- pages --------------------------------------------------------------------------------

    def go_to_page(self, page: int, y: float | None = None) -> None:
        """Shows 1-based ``page`` from its top (or with point ``y`` of it a third down)."""
        if not self.pages.count:
            return
        index = max(0, min(page - 1, self.pages.count - 1))
        if y is None:
            value = self.pages.top_of(index) - GAP
        else:
            value = round(self.pages.to_content(index, 0, y)[1] - self.viewport().height() / 3)
        bar = self.verticalScrollBar()
        value = max(bar.minimum(), min(value, bar.maximum()))
        self._pinned = (index, value)
        if bar.value() == value:
            self._scrolled(value)
        bar.setValue(value)
        self.viewport().update()

    def show_rect(self, page: int, rect: Rect) -> None:
        """Scrolls so ``rect`` on ``page`` is in view (a third down, horizontally visible)."""
        self.go_to_page(page, rect[1])
        x, _y, w, _h = self.pages.rect_to_content(page - 1, rect)
        bar = self.horizontalScrollBar()
        if x < bar.value() or x + w > bar.value() + self.viewport().width():
            bar.setValue(round(x - GAP))

    def _scrolled(self, value: int) -> None:
        if self._pinned is not None and self._pinned[1] == value:
            index = self._pinned[0]
        else:
            self._pinned = None
            bar = self.verticalScrollBar()
            probe = value + self.viewport().height() * 0.3
            if bar.maximum() > 0 and value >= bar.maximum():
                probe = value + self.viewport().height() - 1  # at the end: the last page shown
            index = self.pages.page_at(probe)
        if index != self.current:
            self.current = index
            self.page_changed.emit(index + 1)
        self.viewport().update()

    def _sync_bars(self) -> None:
        vp = self.viewport()
        self.pages.viewport_width = vp.width()
        v, h = self.verticalScrollBar(), self.horizontalScrollBar()
        v.setRange(0, max(0, self.pages.content_height() - vp.height()))
        v.setPageStep(vp.height())
        v.setSingleStep(40)
        h.setRange(0, max(0, self.pages.content_width() - vp.width()))
        h.setPageStep(vp.width())
        h.setSingleStep(40)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        index, px, py = self._page_point(QPointF(self.viewport().width() / 2, GAP + 1))
        self.pages.viewport_width = self.viewport().width()
        if self.fit is not None:
            self._apply_fit()
        self._sync_bars()
        if self.pages.count:
            cy = self.pages.to_content(index, px, py)[1]
            self.verticalScrollBar().setValue(round(cy - GAP - 1))

    def _page_point(self, at: QPointF) -> tuple[int, float, float]:
        """The page under viewport point ``at`` and the point on it, in points."""
        cx = at.x() + self.horizontalScrollBar().value()
        cy = at.y() + self.verticalScrollBar().value()
        index = self.pages.page_at(cy)
        if not self.pages.count:
            return 0, 0.0, 0.0
        x, y = self.pages.to_page(index, cx, cy)
        return index, x, y

    def _page_ready(self, index: int) -> None:
        if index in self.pages.visible_pages(self.verticalScrollBar().value() - 1,
                                             self.viewport().height() + 2):
            self.viewport().update()

    # --- painting -----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self.viewport())
        p.fillRect(self.viewport().rect(), self.palette().color(self.backgroundRole()).darker(108))
        if self.source is None or not self.pages.count:
            return
        ox, oy = self.horizontalScrollBar().value(), self.verticalScrollBar().value()
        dpr = self.devicePixelRatioF()
        visible = self.pages.visible_pages(oy, self.viewport().height())
        wanted: list[tuple[int, QSize]] = []
        self.sharp = set()
        self.paints += 1
        for i in visible:
            x, y, w, h = self.pages.page_rect(i)
            target = QRectF(x - ox, y - oy, w, h)
            p.fillRect(target, QColor("#ffffff"))
            size = QSize(round(w * dpr), round(h * dpr))
            img, exact = self.source.image(i, size)
            if img is not None:
                p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, not exact)
                p.drawImage(target, img)
            if exact:
                self.sharp.add(i)
            else:
                wanted.append((i, size))
            paint_page_marks(p, self.pages, i, self.overlays, self.selection, (ox, oy))
            p.setPen(QPen(QColor(0, 0, 0, 60), 1))
            p.drawRect(target.adjusted(-0.5, -0.5, 0.5, 0.5))
            if self.overlays.show_words and i + 1 not in self.overlays.words \
                    and i + 1 not in self._words_asked:
                self._words_asked.add(i + 1)
                self.words_wanted.emit(i + 1)
        p.end()
        for i in (visible.start - 1, visible.stop):  # the neighbours, for the next page turn
            if 0 <= i < self.pages.count:
                _x, _y, w, h = self.pages.page_rect(i)
                size = QSize(round(w * dpr), round(h * dpr))
                if not self.source.image(i, size)[1]:
                    wanted.append((i, size))
        self.source.want(wanted)

    def all_visible_sharp(self) -> bool:
        oy = self.verticalScrollBar().value()
        return set(self.pages.visible_pages(oy, self.viewport().height())) <= self.sharp

    def reset_words(self) -> None:
        self._words_asked.clear()
        self.overlays.words.clear()

    # --- keys ---------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if ctrl and key in (Qt.Key.Key_Equal, Qt.Key.Key_Plus):
            self.zoom_step(1)
        elif ctrl and key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_step(-1)
        elif ctrl and key == Qt.Key.Key_0:
            self.set_zoom(1.0)
        elif key == Qt.Key.Key_PageDown:
            self._page_key(1)
        elif key == Qt.Key.Key_PageUp:
            self._page_key(-1)
        elif key == Qt.Key.Key_Home:
            self.go_to_page(1)
        elif key == Qt.Key.Key_End:
            self.go_to_page(self.pages.count)
        elif key == Qt.Key.Key_Menu or (key == Qt.Key.Key_F10
                                        and mods == Qt.KeyboardModifier.ShiftModifier):
            self._menu_for_marked()
        elif key == Qt.Key.Key_Escape and (self.selection is not None or self.tool != "text"):
            self.clear_selection()
            self.set_tool("text")
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _page_key(self, step: int) -> None:
        """A screen at a time inside a page taller than the view, else a whole page."""
        if not self.pages.count:
            return
        bar, height = self.verticalScrollBar(), self.viewport().height()
        top = self.pages.top_of(self.current)
        bottom = top + self.pages.page_rect(self.current)[3]
        if step > 0 and bottom > bar.value() + height + 1:
            bar.setValue(min(bar.value() + height - 40, bottom - height + GAP))
        elif step < 0 and top < bar.value() - GAP - 1:
            bar.setValue(max(bar.value() - height + 40, top - GAP))
        else:
            self.go_to_page(self.current + 1 + step)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            super().wheelEvent(event)
            return
        self._wheel += event.angleDelta().y()
        while abs(self._wheel) >= 120:  # a touchpad sends many small steps
            step = 1 if self._wheel > 0 else -1
            self._wheel -= 120 * step
            self.zoom_step(step, event.position())
        event.accept()

    # --- mouse --------------------------------------------------------------------------------

    def _hit(self, pos: QPointF) -> tuple[int, QPointF] | None:
        """The page under viewport ``pos`` and the point on it, or None off the pages."""
        index, x, y = self._page_point(pos)
        if not self.pages.count:
            return None
        w, h = self.pages.sizes[index]
        if not (0 <= x <= w and 0 <= y <= h):
            return None
        return index, QPointF(x, y)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        hit = self._hit(event.position())
        self._dragging = False
        if hit is None:
            self._press = None
            return
        mode = self.tool
        if mode == "text" and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            mode = "region"
        self._press = (hit[0], hit[1], event.position(), mode)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None:
            return
        index, start, at, mode = self._press
        if not self._dragging and (event.position() - at).manhattanLength() \
                < QApplication.startDragDistance():
            return
        self._dragging = True
        _i, x, y = self._page_point(event.position())
        if _i != index:  # past the page's edge: keep to the page the drag began on
            x, y = self.pages.to_page(index, event.position().x()
                                      + self.horizontalScrollBar().value(),
                                      event.position().y() + self.verticalScrollBar().value())
        w, h = self.pages.sizes[index]
        end = QPointF(min(max(x, 0.0), w), min(max(y, 0.0), h))
        box: Rect = (min(start.x(), end.x()), min(start.y(), end.y()),
                     max(start.x(), end.x()), max(start.y(), end.y()))
        rects: list[Rect] = []
        text = ""
        if mode == "text" and self.source is not None:
            rects, text = self.source.selection(index, start, end)
        # A drag begun off the text (a margin, a scan) takes the characters inside its rectangle.
        self.selection = Selection(index + 1, rects or [box], mode, text)
        self.viewport().update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, self._press = self._press, None
        if event.button() != Qt.MouseButton.LeftButton or press is None:
            return
        if self._dragging:
            self._dragging = False
            sel = self.selection
            r = sel.rects[0] if sel is not None and sel.rects else None
            if sel is not None and r is not None and ((sel.mode == "text" and sel.text)
                                                      or (r[2] - r[0] > 1 and r[3] - r[1] > 1)):
                self.selection_made.emit(sel)
            return
        hit = self._hit(event.position())
        self.clear_selection()
        if hit is not None:
            ids = self.overlays.marks_at(hit[0] + 1, hit[1].x(), hit[1].y())
            if ids:
                self.overlays.marked = ids[0]
                self.viewport().update()
                self.highlight_clicked.emit(ids[0])

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        hit = self._hit(event.position())
        if hit is not None:
            ids = self.overlays.marks_at(hit[0] + 1, hit[1].x(), hit[1].y())
            if ids:
                self.highlight_activated.emit(ids[0])
                return
        super().mouseDoubleClickEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if event.reason() != QContextMenuEvent.Reason.Mouse:
            self._menu_for_marked()
            return
        hit = self._hit(QPointF(event.pos()))
        ids = self.overlays.marks_at(hit[0] + 1, hit[1].x(), hit[1].y()) if hit else []
        if ids:
            self.overlays.marked = ids[0]
            self.viewport().update()
            self.highlight_menu_requested.emit(ids[0], event.globalPos())

    def _menu_for_marked(self) -> None:
        """The menu key: the marked highlight's menu, by its first rectangle when in view."""
        marked = self.overlays.marked
        if marked is None:
            return
        vp = self.viewport()
        at = QPoint(vp.width() // 3, vp.height() // 3)
        where = self.overlays.first_rect(marked)
        if where is not None:
            x, y, _w, h = self.pages.rect_to_content(where[0] - 1, where[1])
            spot = QPoint(round(x - self.horizontalScrollBar().value()),
                          round(y + h - self.verticalScrollBar().value()))
            if vp.rect().contains(spot):
                at = spot
        self.highlight_menu_requested.emit(marked, vp.mapToGlobal(at))

    def viewportEvent(self, event: object) -> bool:
        from PySide6.QtCore import QEvent
        from PySide6.QtGui import QHelpEvent

        if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip:
            hit = self._hit(QPointF(event.pos()))
            ids = self.overlays.marks_at(hit[0] + 1, hit[1].x(), hit[1].y()) if hit else []
            label = next((m.label for m in self.overlays.marks if ids and m.id == ids[0]), "")
            if label:
                QToolTip.showText(event.globalPos(), label, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)  # type: ignore[arg-type]
