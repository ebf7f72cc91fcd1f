"""Counting the Python-level calls a piece of code makes (``sys.setprofile``): tests that a
hot path does no Python work per word count calls instead of timing them."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def counting_calls() -> Iterator[list[int]]:
    """Counts calls of Python and C functions made inside the block into ``counted[0]``."""
    counted = [0]

    def count(_frame: Any, event: str, _arg: Any) -> None:
        if event in ("call", "c_call"):
            counted[0] += 1

    sys.setprofile(count)
    try:
        yield counted
    finally:
        sys.setprofile(None)
