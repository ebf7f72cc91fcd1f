"""The right OCR languages by default, and low OCR confidence as a problem on the document.

A Chinese, Arabic or Uyghur scan imported with default settings is read in its own script
(Tesseract's script detection, else a trial read per language), an English one stays English,
and the text layer says which languages were used and how they were chosen. A scan read in the
wrong language (``--ocr-languages eng`` on Chinese) imports with "OCR confidence N %: check the
language", which `import --json` and `show` report and a later `workbench ocr` clears.

The scans are small rendered images (two lines each) so every OCR takes well under a second.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.support.scans import TEXTS, arabic_shaping, make_multipage_tiff, make_scan
from workbench.extract.ocr import (
    AUTO,
    LOW_CONFIDENCE,
    OcrRun,
    clean,
    installed_languages,
    resolve_languages,
    sample,
    word_confidences,
)

HAVE_TESSERACT = shutil.which("tesseract") is not None
needs_tesseract = pytest.mark.skipif(not HAVE_TESSERACT, reason="tesseract is not installed "
                                     "(packaging/install-system-deps.sh installs it)")


def needs_languages(*langs: str) -> pytest.MarkDecorator:
    missing = [lang for lang in langs if not HAVE_TESSERACT or lang not in installed_languages()]
    return pytest.mark.skipif(bool(missing), reason=f"Tesseract language packs missing: "
                              f"{missing} (packaging/debian-packages.txt lists them)")


needs_shaping = pytest.mark.skipif(not arabic_shaping(), reason="Pillow has no complex text "
                                   "layout (libraqm/fribidi) to render joined Arabic letters")


# --- without Tesseract: the parts that decide -------------------------------------------------

TSV = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf"
       "\ttext\n"
       "1\t1\t0\t0\t0\t0\t0\t0\t500\t248\t-1\t\n"
       "4\t1\t1\t1\t1\t0\t51\t64\t282\t44\t-1\t\n"
       "5\t1\t1\t1\t1\t1\t51\t64\t43\t43\t91.986130\t人\n"
       "5\t1\t1\t1\t1\t2\t100\t64\t42\t44\t30.5\t权\n"
       "5\t1\t1\t1\t1\t3\t158\t64\t48\t44\t12.0\t \n")


def test_word_confidences_come_from_the_words_of_the_tsv() -> None:
    assert word_confidences(TSV) == [91.98613, 30.5]  # not the lines, not the empty word


def test_auto_is_a_language_setting_and_the_default() -> None:
    assert resolve_languages("auto") == (AUTO, [])
    assert resolve_languages(None)[0] == AUTO


def test_bidi_marks_and_cjk_gaps_are_cleaned() -> None:
    read = "Human Rights \u200fمجلس حقوق\u200e | 人 权\x0c"
    assert clean(read) == "Human Rights مجلس حقوق | 人权"


def _run(confidences: dict[int, list[float]], languages: str = "eng") -> OcrRun:
    run = OcrRun(languages, budget=10)
    run.confidences = confidences
    run.pages_done = sorted(confidences)
    run.used = languages.split("+")
    return run


def test_low_mean_confidence_is_a_problem_naming_the_language() -> None:
    [problem] = _run({1: [31.0, 28.0, 34.0]}).summary([1])
    assert problem.startswith("OCR confidence 31 %: check the language (read as eng)")
    assert _run({1: [90.0, 95.0, 92.0]}).summary([1]) == []
    assert _run({1: [20.0, 25.0]}).summary([1]) == []  # two words say too little
    assert _run({}).summary([1]) == []  # a blank page


def test_one_bad_page_among_good_ones_is_named() -> None:
    good = [95.0] * 40
    [problem] = _run({1: good, 2: [30.0] * 6, 3: good}).summary([1, 2, 3])
    assert problem == "OCR confidence 30 % on page 2: check the language or the scan"
    assert LOW_CONFIDENCE == 60.0


def test_the_trial_sample_of_a_large_page_is_the_band_with_the_text() -> None:
    from PIL import Image, ImageDraw

    page = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(page)
    for x in range(200, 2200, 20):  # a line of "letters" near the bottom: strokes, not a bar
        draw.rectangle((x, 3000, x + 5, 3060), fill=0)
    draw.rectangle((0, 0, 2480, 80), fill=0)  # a black scanner border is not text
    part = sample(page)
    assert part.size[0] == 2480 + 40 and part.size[1] < 1000  # full width, a white margin
    assert part.getextrema()[0] == 0  # the dark rows are in it
    small = Image.new("L", (600, 300), 255)
    assert sample(small) is small


# --- the extractor chooses per page -----------------------------------------------------------

EXPECTED = {  # language -> (how the layer's languages start, a word of the text)
    "en": ("eng", "Forced labour"),
    "zh": ("chi_sim", "人权状况报告"),
    "ar": ("ara+uig", "حقوق"),
    "ug": ("uig+ara", "ھوقۇق"),
}


@needs_tesseract
@needs_languages("eng", "chi_sim", "ara", "uig")
# Chinese and Arabic go through the whole import below (and Chinese through a PDF): here the
# two that must not be mistaken for them, to keep OCR time down.
@pytest.mark.parametrize("language", ["en", "ug"])
def test_each_script_is_read_in_its_own_languages(language: str, tmp_path: Path) -> None:
    from workbench.extract.base import ExtractOptions
    from workbench.extract.image import ImageExtractor

    if language in ("ar", "ug") and not arabic_shaping():
        pytest.skip("Pillow cannot join Arabic letters here")
    path = make_scan(tmp_path / f"{language}.png", language)
    result = ImageExtractor().extract(path, ExtractOptions(kind="image"))  # default: auto
    prefix, word = EXPECTED[language]
    assert result.languages is not None and result.languages.startswith(prefix), result
    assert word in result.pages[0]
    assert result.problems == []
    assert result.extractor_version.endswith("+auto")
    assert result.metadata["ocr_confidence"] >= 80
    chosen = result.metadata["ocr_languages_chosen"]
    assert chosen.startswith(f"{result.languages}: page 1 (")
    assert ("OSD" in chosen) or ("trial read" in chosen)
    if language == "en":
        assert result.languages == "eng"  # English stays English, nothing added
    if language in ("ar", "ug"):
        assert result.languages.endswith("+eng")  # for the Latin words such pages carry


@needs_tesseract
@needs_languages("eng", "chi_sim", "ara")
@needs_shaping
def test_a_document_that_changes_script_is_read_page_by_page(tmp_path: Path) -> None:
    from workbench.extract.base import ExtractOptions
    from workbench.extract.image import ImageExtractor

    tiff = make_multipage_tiff(tmp_path / "mixed.tiff", ["zh", "ar"])
    result = ImageExtractor().extract(tiff, ExtractOptions(kind="image"))
    assert "人权状况报告" in result.pages[0] and "حقوق" in result.pages[1]
    assert result.languages is not None and result.languages.startswith("chi_sim+ara")
    assert result.problems == []
    chosen = result.metadata["ocr_languages_chosen"]
    assert "chi_sim: page 1 (Han script" in chosen and "page 2 (Arabic script" in chosen


@needs_tesseract
@needs_languages("eng", "chi_sim")
def test_a_scanned_chinese_pdf_is_read_in_chinese(tmp_path: Path) -> None:
    """An A6 page at 300 dpi (2 megapixels, to keep it quick): the trial read looks at the
    band of the page with the text."""
    from fpdf import FPDF

    from workbench.extract.base import ExtractOptions
    from workbench.extract.pdf import PdfExtractor

    image = make_scan(tmp_path / "zh.png", "zh")
    pdf = FPDF(format=(105, 148))  # A6, in mm
    pdf.add_page()
    pdf.image(str(image), x=8, y=60, w=90)
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    result = PdfExtractor().extract(path, ExtractOptions(kind="pdf"))
    assert result.method == "ocr" and result.languages == "chi_sim"
    assert "人权状况报告" in result.pages[0]
    assert result.problems == ["read by OCR: all pages"]
    assert "Han script, trial read" in result.metadata["ocr_languages_chosen"]
    assert result.metadata["ocr_confidence"] >= 80


# --- through the import, the search and the command line ---------------------------------------

@needs_tesseract
@needs_languages("eng", "chi_sim", "ara")
@needs_shaping
def test_scans_imported_with_default_settings_are_searchable_in_their_script(
        wb: Any, tmp_path: Path) -> None:
    from workbench.ingest import ImportOptions

    paths = [make_scan(tmp_path / f"{lang}.png", lang) for lang in ("zh", "ar", "en")]
    report, _ = wb.import_paths(paths, ImportOptions())
    items = {Path(i["path"]).stem: i for i in report.to_json()["imported"]}
    assert {k: v["status"] for k, v in items.items()} == dict.fromkeys(("zh", "ar", "en"),
                                                                       "imported")
    layers = {k: wb.show_document(v["id"])["text_layers"][0] for k, v in items.items()}
    assert layers["zh"]["languages"] == "chi_sim"
    assert layers["ar"]["languages"] == "ara+uig+eng"  # Arabic first, eng for Latin words
    assert layers["en"]["languages"] == "eng"
    assert all(ly["extractor_version"].endswith("+auto") for ly in layers.values())
    info = wb.show_document(items["zh"]["id"])
    assert info["language"] == "zh" and "Han script" in info["extra"]["ocr_languages_chosen"]
    assert info["extra"]["ocr_confidence"] >= 80
    info = wb.show_document(items["ar"]["id"])
    assert info["language"] == "ar" and "Arabic script" in info["extra"]["ocr_languages_chosen"]
    assert wb.document_text(items["en"]["id"]).text == TEXTS["en"]
    assert wb.wait_for_index(30)
    assert [h.document_id for h in wb.search("人权状况").hits] == [items["zh"]["id"]]
    assert [h.document_id for h in wb.search("حقوق").hits] == [items["ar"]["id"]]
    assert [h.document_id for h in wb.search("forced labour").hits] == [items["en"]["id"]]


class Cli:
    """``workbench … --json`` in this process (``cli.main``), answers parsed."""

    def __init__(self, library: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.library, self.capsys = library, capsys

    def __call__(self, *args: str) -> Any:
        from workbench.cli import main

        self.capsys.readouterr()
        rc = main(["--library", str(self.library), *args, "--json"])
        out, err = self.capsys.readouterr()
        assert rc == 0, err
        return json.loads(out)


def _chinese_scan_read_as_english(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                  ) -> tuple[Cli, dict[str, Any]]:
    """A new library holding a Chinese scan imported with ``--ocr-languages eng``."""
    cli = Cli(tmp_path / "lib", capsys)
    cli("init")
    scan = make_scan(tmp_path / "zh.png", "zh")
    [item] = cli("import", "--ocr-languages", "eng", str(scan))["imported"]
    return cli, item


@needs_tesseract
@needs_languages("eng", "chi_sim")
def test_chinese_scan_read_as_english_is_a_problem_until_ocr_reads_it_right(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli, item = _chinese_scan_read_as_english(tmp_path, capsys)
    assert item["status"] == "imported with problems"
    [problem] = item["problems"]
    assert problem.startswith("OCR confidence ") and " %: check the language (read as eng)" \
        in problem
    assert int(problem.split()[2]) < LOW_CONFIDENCE
    shown = cli("show", str(item["id"]))
    assert shown["problems"] == [problem] and shown["status"] == "problems"
    assert shown["text_layers"][0]["languages"] == "eng"

    again = cli("ocr", str(item["id"]))  # the library's default: auto
    assert again["languages"] == "chi_sim" and again["problems"] == []
    assert again["status"] == "ok" and again["language"] == "zh"
    assert again["confidence"] >= 80 and "Han script" in again["languages_chosen"]
    shown = cli("show", str(item["id"]), "--text")
    assert shown["problems"] == [] and "人权状况报告" in shown["text"]
    assert [ly["languages"] for ly in shown["text_layers"]] == ["eng", "chi_sim"]


# --- a new reading and the record a user corrected ------------------------------------------

def _events(wb: Any, doc_id: int) -> list[dict[str, Any]]:
    return list(wb.audit_events(object_type="document", object_id=str(doc_id)))


@needs_tesseract
@needs_languages("eng", "chi_sim")
def test_ocr_never_overwrites_a_corrected_language_and_follows_a_captured_one(
        wb: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.extract import Extraction, ExtractorPool
    from workbench.ingest import ImportOptions
    from workbench.ocr import ocr_document

    scans = [make_scan(tmp_path / "zh1.png", "zh"),  # two files, the same lines swapped
             make_scan(tmp_path / "zh2.png", "zh", "\n".join(TEXTS["zh"].split("\n")[::-1]))]
    report, _ = wb.import_paths(scans, ImportOptions(ocr_languages="eng"))
    corrected, captured = (i["id"] for i in report.to_json()["imported"])
    assert wb.show_document(corrected)["language"] is None  # the wrong reading says nothing
    for doc in (corrected, captured):
        wb.edit_document(doc, language="zh")
        assert ocr_document(wb, doc)["language"] == "zh"  # auto reads Chinese

    # Put back as captured (None, from the import), the language is no longer the user's:
    # the next reading sets it though it is not what the last reading's text said either.
    wb.edit_document(captured, revert=["language"])
    assert wb.show_document(captured)["language"] is None
    r = ocr_document(wb, captured)
    assert r["language"] == "zh" and wb.show_document(captured)["language"] == "zh"
    assert not wb.document_record(captured)["language"].corrected
    event = _events(wb, captured)[-1]
    assert event["details"]["language"] == {"old": None, "new": "zh"}

    # The corrected language is also what the last reading's text says; a reading that says
    # otherwise must still leave it alone (it used to be taken for a detected one).
    english = Extraction(["Report on human rights in the region. Forced labour was found in "
                          "the factories the inspectors visited."], "image", "test",
                         method="ocr", languages="eng")
    monkeypatch.setattr(ExtractorPool, "extract", lambda self, path, options: english)
    r = ocr_document(wb, corrected, languages="eng")
    assert r["language"] == "zh" and wb.show_document(corrected)["language"] == "zh"
    assert wb.document_record(corrected)["language"].corrected
    assert "language" not in _events(wb, corrected)[-1]["details"]
    # The uncorrected one follows it.
    assert ocr_document(wb, captured, languages="eng")["language"] == "en"


@needs_tesseract
@needs_languages("eng", "chi_sim")
def test_reextract_replaces_the_problems_of_the_old_reading(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli, item = _chinese_scan_read_as_english(tmp_path, capsys)
    [problem] = item["problems"]
    assert problem.startswith("OCR confidence ")

    # The library reads in English by default: the new reading has the same problem.
    cli("ocr", str(item["id"]), "--languages", "eng", "--set-default")
    again = cli("reextract", str(item["id"]))
    assert again["status"] == "problems" and len(again["problems"]) == 1
    assert again["problems"][0].startswith("OCR confidence ")
    shown = cli("show", str(item["id"]))
    assert shown["status"] == "problems" and shown["problems"] == again["problems"]

    cli("ocr", str(item["id"]), "--languages", "auto", "--set-default")
    cli("ocr", str(item["id"]), "--languages", "eng")  # wrong again, then re-extract with auto
    again = cli("reextract", str(item["id"]))
    assert again["problems"] == [] and again["status"] == "ok" and again["language"] == "zh"
    shown = cli("show", str(item["id"]))
    assert shown["problems"] == [] and shown["status"] == "ok" and shown["language"] == "zh"
    assert shown["extra"]["ocr_confidence"] >= 80  # the metadata of the new reading
    assert "Han script" in shown["extra"]["ocr_languages_chosen"]

    from workbench.services import Workbench

    with Workbench.open(tmp_path / "lib") as wb:
        event = _events(wb, item["id"])[-1]
    assert event["details"]["operation"] == "re-extraction"
    assert event["details"]["problems"]["new"] == []
    [old] = event["details"]["problems"]["old"]
    assert old.startswith("OCR confidence ")
    assert event["details"]["status"] == {"old": "problems", "new": "ok"}


@needs_tesseract
@needs_languages("eng", "chi_sim")
def test_show_names_each_ocr_layers_languages_and_confidence(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.cli import main

    cli = Cli(tmp_path / "lib", capsys)
    cli("init")
    scan = make_scan(tmp_path / "zh.png", "zh")
    [item] = cli("import", "--ocr-languages", "eng", str(scan))["imported"]
    cli("ocr", str(item["id"]))  # auto
    layers = cli("show", str(item["id"]))["text_layers"]
    assert [ly["languages"] for ly in layers] == ["eng", "chi_sim"]
    first, second = (ly["ocr"] for ly in layers)
    assert first["confidence"] < LOW_CONFIDENCE and first["languages_chosen"] is None
    assert second["confidence"] >= 80 and "Han script" in second["languages_chosen"]

    capsys.readouterr()
    assert main(["--library", str(tmp_path / "lib"), "show", str(item["id"])]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("  OCR: ")]
    assert len(lines) == 2, out
    assert "eng" in lines[0] and f"confidence {first['confidence']} %" in lines[0]
    assert "chi_sim" in lines[1] and f"confidence {second['confidence']} %" in lines[1]
    assert "Han script" in lines[1]
