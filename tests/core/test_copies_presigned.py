"""Copies' signatures are shingled in the extraction workers (issue 16): the importing process
only turns each document's shingle hashes into its MinHash, and the signatures, and so the
copies found, are those of signing the stored text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import select

from tests.support.files import make_html_capture, make_pdf, split_pages
from workbench.copies import signature
from workbench.copies.signature import shingle_hashes, sign, sign_hashes

CRIMES = "un-report-crimes-against-humanity"
CHINESE = ("联合国人权事务高级专员办事处发表了关于新疆的评估报告，报告认为中国政府对维吾尔族"
           "和其他穆斯林群体的任意和歧视性拘留可能构成国际罪行，特别是危害人类罪。报告记录了"
           "酷刑、性暴力、强迫劳动和家庭分离的指控，并建议有关国家政府立即释放所有被任意剥夺"
           "自由的人，澄清失踪者的下落，并审查国内安全法律框架。")


def test_a_texts_shingle_hashes_sign_it_bit_for_bit(corpus_texts: dict[str, str]) -> None:
    mixed = "Ürümqi “officials” met ٱلْعَرَبِيَّة " + CHINESE + " and the Region, again."
    for text in [*corpus_texts.values(), CHINESE, mixed, "too short to sign", ""]:
        ours, theirs = sign_hashes(shingle_hashes(text)), sign(text)
        assert ours.shingles == theirs.shingles
        n = len(signature.shingles(text))
        assert theirs.shingles == (n if n >= signature.MIN_SHINGLES else 0)
        assert ours.values.dtype == np.uint32
        assert np.array_equal(ours.values, theirs.values)


def test_the_worker_sends_the_shingle_hashes_of_the_text_it_read(
        tmp_path: Path, corpus_texts: dict[str, str]) -> None:
    from workbench import persist
    from workbench.extract import base
    from workbench.extract.worker import handle

    assert base.PAGE_SEPARATOR == persist.PAGE_SEPARATOR

    pdf = make_pdf(tmp_path / "report.pdf", split_pages(corpus_texts[CRIMES]))
    reply = handle({"path": str(pdf), "kind": "pdf", "options": {"kind": "pdf"}})
    assert reply["ok"], reply
    result = reply["result"]
    text = "\n\n".join(result["pages"])
    got = sign_hashes(signature.decode_hashes(result["signing"]["hashes"]))
    assert result["signing"]["text_sha256"] == signature.text_sha256(text)
    assert got.shingles > signature.MIN_SHINGLES
    assert np.array_equal(got.values, sign(text).values)


def test_an_import_signs_no_text_in_the_importing_process(
        wb: Any, tmp_path: Path, corpus_texts: dict[str, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers are other processes: shingling here would fail, and nothing does."""
    from workbench.models import CopySignature, TextLayer

    def refuse(text: str) -> set[bytes]:
        raise AssertionError("a text was shingled in the importing process")

    monkeypatch.setattr(signature, "shingles", refuse)
    text = corpus_texts[CRIMES]
    title, body = text.split("\n", 1)
    pdf = make_pdf(tmp_path / "report.pdf", split_pages(text))
    html = make_html_capture(tmp_path / "report.html", title, body.strip(),
                             url="https://example.org/report", published="2022-09-01")
    others = []
    for name, t in corpus_texts.items():
        if name != CRIMES:
            others.append(tmp_path / f"{name}.txt")
            others[-1].write_text(t, encoding="utf-8")
    report, changes = wb.import_paths([pdf, html, *others])
    assert changes.copies
    ids = {Path(o.path).name: o.document_id for o in report.imported}
    assert [c["document_id"] for c in wb.copies(ids["report.pdf"])] == [ids["report.html"]]
    assert all(not wb.copies(ids[p.name]) for p in others)
    monkeypatch.undo()
    with wb.library.read() as s:
        rows = s.execute(select(CopySignature.document_id, CopySignature.layer_id,
                                CopySignature.minhash, CopySignature.shingles)).all()
        texts = dict(s.execute(select(TextLayer.id, TextLayer.text)).all())
    assert sorted(r[0] for r in rows) == sorted(ids.values())
    for _doc, layer, minhash, count in rows:
        want = sign(texts[layer])
        assert count == want.shingles and minhash == want.to_bytes()


def test_an_imports_outcomes_hold_finished_signatures_not_the_shingle_hashes(
        wb: Any, tmp_path: Path, corpus_texts: dict[str, str]) -> None:
    """Each imported file's outcome lives until the whole import is done: it keeps the
    document's MinHash (128 values), not the worker's hash of every shingle, which for a long
    text is 100× that and, over a 10,000-file import, hundreds of MB (issue 16: import memory)."""
    text = "\n\n".join(corpus_texts.values())
    (tmp_path / "long.txt").write_text(text, encoding="utf-8")
    report, _ = wb.import_paths([tmp_path / "long.txt"])
    (outcome,) = report.imported
    assert outcome.signing is not None
    _layer, sha, signed = outcome.signing
    assert sha == signature.text_sha256(text)
    assert isinstance(signed, signature.Signature)
    assert len(signature.shingles(text)) > 2000  # its hashes alone would be > 8 KB
    assert signed.values.nbytes == 4 * signature.NUM_PERM
    want = sign(text)
    assert signed.shingles == want.shingles and np.array_equal(signed.values, want.values)


def test_the_written_out_permutations_are_datasketchs_for_the_seed() -> None:
    """numpy.random is left out of the standalone build: the permutations are constants, and
    they must be the ones numpy draws for SEED, as datasketch's MinHash does."""
    gen = np.random.RandomState(signature.SEED)
    a = gen.randint(0, 1 << 31, signature.NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, signature.NUM_PERM, dtype=np.uint32)
    got_a, got_b = signature._permutations()
    assert got_a.dtype == got_b.dtype == np.uint32
    assert np.array_equal(got_a, a) and np.array_equal(got_b, b)


def test_signing_draws_nothing_from_numpy_random() -> None:
    import subprocess
    import sys

    code = ("import sys; from workbench.copies.signature import sign; "
            "sign('A statement about the camp kitchens and the night shifts. ' * 20); "
            "print('numpy.random' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[2]).stdout.strip()
    assert out == "False"


def test_a_signature_that_cannot_be_made_does_not_fail_the_files_import(
        wb: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The standalone build once lacked what signing needs (numpy.random): the file must still
    be saved, its copies looked for later."""
    def broken(_hashes: bytes) -> Any:
        raise ModuleNotFoundError("No module named 'numpy.random'")

    monkeypatch.setattr(signature, "sign_hashes", broken)
    (tmp_path / "a.txt").write_text("A statement about the camp kitchens. " * 30, "utf-8")
    report, _ = wb.import_paths([tmp_path / "a.txt"])
    assert len(report.imported) == 1 and not report.failed
    assert report.imported[0].signing is None
