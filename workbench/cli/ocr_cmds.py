"""``workbench ocr DOC``: OCR an image or scanned PDF already in the library (new text layer)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ..ocr import DEFAULT_TIMEOUT, ocr_document
from . import argtypes
from .common import Result, command

if TYPE_CHECKING:
    from ..services import Workbench


def register(sub: Any) -> None:
    p = command(sub, "ocr", cmd_ocr,
                "OCR an image or scanned PDF again: a new text layer, highlights re-anchored",
                writes=True)
    p.add_argument("doc", metavar="DOC", type=argtypes.document_ref,
                   help="document id or unique SHA-256 prefix")
    p.add_argument("--languages", metavar="LANGS",
                   help="Tesseract languages, e.g. eng+chi_sim, or auto: each page in its "
                        "own script (default: the library's ocr_languages setting, else auto)")
    p.add_argument("--timeout", type=argtypes.seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"time limit for the whole document (default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--set-default", action="store_true",
                   help="also make these languages the library's default for imports")


def cmd_ocr(wb: Workbench, args: argparse.Namespace) -> Result:
    r = ocr_document(wb, args.doc, languages=args.languages, timeout=args.timeout,
                     set_default=args.set_default)
    text = (f"Document {r['document_id']}: text layer v{r['layer_version']} by OCR "
            f"({r['languages']}), {r['pages_with_text']} of {r['pages']} pages with text")
    if r.get("confidence") is not None:
        text += f", mean word confidence {r['confidence']} %"
    if r.get("languages_chosen"):
        text += f"\n  languages chosen: {r['languages_chosen']}"
    if r["problems"]:
        text += "\n  " + "\n  ".join(r["problems"])
    return Result(r, text)
