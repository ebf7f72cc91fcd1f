"""packaging/make_icons.py: the Windows .ico and macOS .icns the builds embed, made from the
one SVG (the workflows run it; no binary icon is kept in the repository)."""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging"))

from make_icons import make_icons


def test_icons_have_every_size_and_show_the_drawing(tmp_path: Path) -> None:
    ico, icns = make_icons(tmp_path / "icons")
    with Image.open(ico) as image:
        assert image.format == "ICO"
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(image.info["sizes"])
        image.size = (256, 256)
        big = image.convert("RGBA")
        assert big.getpixel((0, 0))[3] == 0  # transparent corner (rounded square)
        assert big.getpixel((128, 40))[3] == 255  # the drawing itself
    with Image.open(icns) as image:
        assert image.format == "ICNS"
        assert {(16, 16, 2), (128, 128, 1), (512, 512, 2)} <= set(image.info["sizes"])
