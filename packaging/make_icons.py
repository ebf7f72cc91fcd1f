"""Make the Windows ``.ico`` and the macOS ``.icns`` from ``resources/icons/workbench.svg``.

    python packaging/make_icons.py [OUT_FOLDER]     (default build/icons)

Run at build time by the Windows and macOS workflows (packaging/ci/), so no binary icon is
kept in the repository: the SVG is the one source. Qt's SVG renderer (PySide6, already a
dependency) draws it at 1024 px; Pillow (already a dependency) scales and writes both
formats with every size each platform asks for.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "icons" / "workbench.svg"
ICO_SIZES = [16, 20, 24, 32, 40, 48, 64, 128, 256]
ICNS_SIZES = [16, 32, 64, 128, 256, 512, 1024]


def render_svg(svg: Path, size: int) -> bytes:
    """The SVG drawn at ``size`` x ``size`` pixels, as PNG bytes (transparent background)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {svg} is not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def make_icons(out: Path, svg: Path = SVG) -> tuple[Path, Path]:
    from PIL import Image

    out.mkdir(parents=True, exist_ok=True)
    big = Image.open(io.BytesIO(render_svg(svg, 1024))).convert("RGBA")
    ico, icns = out / "workbench.ico", out / "workbench.icns"
    big.save(ico, format="ICO", sizes=[(s, s) for s in ICO_SIZES])
    big.save(icns, format="ICNS", append_images=[big.resize((s, s), Image.Resampling.LANCZOS)
                                                 for s in ICNS_SIZES])
    (out / "workbench.png").write_bytes(render_svg(svg, 512))
    return ico, icns


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "build" / "icons"
    for path in make_icons(out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
