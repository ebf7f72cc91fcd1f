"""Generators for test files: PDFs (fpdf2), HTML captures, encodings. Deterministic output."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def make_pdf(path: Path, pages: list[str], *, title: str | None = None,
             author: str | None = None, password: str | None = None,
             owner_password: str | None = None) -> Path:
    """A text PDF with one string per page (Unicode through DejaVu when it is installed)."""
    pdf = FPDF()
    pdf.set_creation_date(__import__("datetime").datetime(2022, 9, 1))
    if DEJAVU.exists():
        pdf.add_font("dejavu", "", str(DEJAVU))
        font = "dejavu"
    else:
        font = "helvetica"
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    for text in pages:
        pdf.add_page()
        pdf.set_font(font, size=11)
        if text:
            pdf.multi_cell(0, 6, text)
    if password is not None or owner_password is not None:
        from fpdf.enums import EncryptionMethod

        pdf.set_encryption(owner_password=owner_password or "owner",
                           user_password=password or "",
                           encryption_method=EncryptionMethod.AES_128)
    pdf.output(str(path))
    return path


def split_pages(text: str, size: int = 1500) -> list[str]:
    """Cut text into page-sized chunks at paragraph boundaries."""
    pages: list[str] = []
    current = ""
    for para in text.split("\n\n"):
        if current and len(current) + len(para) > size:
            pages.append(current.strip())
            current = ""
        current += para + "\n\n"
    if current.strip():
        pages.append(current.strip())
    return pages


def make_html_capture(path: Path, title: str, body: str, *, url: str | None = None,
                      published: str | None = None, encoding: str = "utf-8",
                      declare_charset: bool = True) -> Path:
    """A saved web page: navigation, cookie banner, scripts and footer around the article."""
    paras = "\n".join(f"<p>{p}</p>" for p in body.split("\n\n") if p.strip())
    head = [f"<title>{title}</title>"]
    if declare_charset:
        head.insert(0, f'<meta charset="{encoding}">')
    if url:
        head.append(f'<link rel="canonical" href="{url}">')
    if published:
        head.append(f'<meta property="article:published_time" content="{published}">')
    html = f"""<!DOCTYPE html>
<html><head>{''.join(head)}<script>var tracker = "SCRIPT-SHOULD-NOT-APPEAR";</script>
<style>.x {{ color: red }} /* STYLE-SHOULD-NOT-APPEAR */</style></head>
<body>
<div id="cookie-banner" class="cookie-consent">We use cookies. COOKIE-BANNER-TEXT Accept all</div>
<nav class="menu"><a href="/">Home</a> <a href="/news">NAV-MENU-TEXT News</a></nav>
<main><article><h1>{title}</h1>
{paras}
</article></main>
<footer class="site-footer">FOOTER-TEXT Copyright 2022. All rights reserved.</footer>
</body></html>"""
    path.write_bytes(html.encode(encoding))
    return path
