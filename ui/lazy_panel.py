"""Feature panels that build their widgets on first use (issue 16).

Installing the window's feature pages (codebook, entities, chronology) used to build every
widget of each before the library's list could show: a tenth of a second on a quiet machine,
several times that on a busy one, for pages most starts never open. A ``LazyPanel`` is a page
of the middle stack from the start (menus, shortcuts and sidebar entries reach it as before,
``middle.currentWidget() is window.entities`` holds), but its ``_build`` runs only when it is
first shown, or when code first touches a widget ``_build`` makes (by name, or by searching
its children). So a caller never sees a half-built panel: reaching for ``panel.table``
builds it, then answers.

A subclass keeps in ``__init__`` only its state and its session connections, and its methods
that run at every open or change (``reset``, ``on_changes``…) keep to that state while
``built`` is false; ``_build`` then shows what the state holds.

Made last, a page's widgets come last in the window's Tab order too: a page given ``tab_after``
(the sidebar, for a page of the middle stack) has its stops put right after it once built, in
screen order (``tab_order.follow_layout``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from .tab_order import follow_layout


class LazyPanel(QWidget):
    built = False  # set (first) by build_now
    tab_after: QWidget | None = None  # the Tab stop before the page, if its order is set

    def _build(self) -> None:
        raise NotImplementedError

    def build_now(self) -> None:
        if not self.built:
            self.built = True  # first: a lookup inside _build must not build again
            self._build()
            if self.tab_after is not None:
                follow_layout(self, self.tab_after)

    def setVisible(self, visible: bool) -> None:
        # Before it becomes visible, so its widgets appear with it (no empty frame).
        if visible:
            self.build_now()
        super().setVisible(visible)

    # Asking for its children (a search by type or name) is touching its widgets too.
    def findChildren(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        self.build_now()
        return super().findChildren(*args, **kwargs)

    def findChild(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        self.build_now()
        return super().findChild(*args, **kwargs)

    if not TYPE_CHECKING:  # at run time only: mypy still checks every attribute by name

        def __getattr__(self, name: str) -> Any:
            # Only called for a name not found: a widget _build has not made yet.
            if self.built or name.startswith("__"):
                raise AttributeError(name)
            self.build_now()
            return getattr(self, name)
