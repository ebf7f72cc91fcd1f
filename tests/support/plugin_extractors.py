"""Test-only extractor plug-ins: files that hang or explode in memory inside the worker.

Loaded through ``Limits(plugins=...)``, exactly how a real plug-in format would be, so the
time and memory limits are tested on the real isolation path.
"""

from __future__ import annotations

import time
from pathlib import Path

from workbench.extract.base import Extraction, ExtractOptions
from workbench.extract.formats import FORMATS, Format

MODULE = "tests.support.plugin_extractors"


class HangExtractor:
    name = "hang"
    version = "1"

    def extract(self, path: Path, options: ExtractOptions) -> Extraction:
        while True:  # a parser stuck in a loop on hostile input
            time.sleep(0.05)


class MemoryBombExtractor:
    name = "bomb"
    version = "1"

    def extract(self, path: Path, options: ExtractOptions) -> Extraction:
        blocks = []
        while True:  # a decompression bomb
            blocks.append(bytearray(64 * 1024 * 1024))


class CrashExtractor:
    name = "crash"
    version = "1"

    def extract(self, path: Path, options: ExtractOptions) -> Extraction:
        import os

        os._exit(3)  # a native crash takes the process down


for kind, ext, cls in (("hang-test", ".hang", "HangExtractor"),
                       ("bomb-test", ".bomb", "MemoryBombExtractor"),
                       ("crash-test", ".crash", "CrashExtractor")):
    if not any(f.kind == kind for f in FORMATS):
        FORMATS.append(Format(kind, "application/x-test", (ext,), f"{MODULE}:{cls}"))
