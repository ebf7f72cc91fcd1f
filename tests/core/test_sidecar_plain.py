"""A sidecar read in plain Python (whoosh/sidecar_plain.py, a small index's reader) answers
exactly what numpy's reader (sidecar.FieldPostings, a large index's) answers: every term,
its postings, document frequencies and positions, with narrow (16-bit) and wide sections."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from workbench.search.whoosh import sidecar


def _write(path: Path, docs: int, seed: int, float_weights: bool) -> None:
    rnd = random.Random(seed)
    out = sidecar.SidecarWriter(docs)
    for fieldname in ("body", "tag"):
        out.start_field(fieldname)
        words = sorted({"".join(rnd.choice("abcdé") for _ in range(rnd.randint(1, 5)))
                        for _ in range(300)})
        for w in words:
            ids = sorted(rnd.sample(range(docs), rnd.randint(1, min(docs, 40))))
            if float_weights and fieldname == "tag":
                weights = [rnd.random() * 3 for _ in ids]
            else:
                weights = [float(rnd.randint(1, 4)) for _ in ids]
            stem = w.startswith("e")  # keeps no positions, as a stem term
            pos: list[int] = []
            if fieldname == "body" and not stem:
                for n in weights:  # positions past 65,535 make the section 32-bit
                    pos += sorted(rnd.sample(range(70_000 if seed else 500), int(n)))
            out.add_term(w.encode("utf-8"), ids, weights,
                         None if fieldname != "body" or stem else pos)
    out.write(path)


@pytest.mark.parametrize("docs,seed,float_weights", [(50, 0, False), (70_000, 1, True)],
                         ids=["narrow", "wide"])
def test_plain_and_numpy_readers_answer_the_same(
        tmp_path: Path, docs: int, seed: int, float_weights: bool) -> None:
    path = tmp_path / "MAIN_x.wbx"
    _write(path, docs, seed, float_weights)
    side = sidecar.Sidecar(path, docs)
    assert set(side.fields) == set(side.plain_fields) == {"body", "tag"}
    for name, fp in side.fields.items():
        pf = side.plain_fields[name]
        assert pf.nterms == fp.nterms and pf.term_bytes(0, pf.nterms) == fp.term_bytes(
            0, fp.nterms)
        assert pf.doc_frequencies(0, pf.nterms) == fp.doc_frequencies(0, fp.nterms).tolist()
        assert pf.prefix_range(b"ab") == fp.prefix_range(b"ab")
        terms = [fp.term(i) for i in range(fp.nterms)] + [b"zzz-not-there"]
        assert pf.doc_frequency_of(terms) == fp.doc_frequency_of(terms)
        for i in range(fp.nterms):
            ids, ws = fp.postings(i)
            assert pf.postings(i) == (ids.tolist(), [float(w) for w in ws.tolist()])
            assert pf.has_positions(i) == fp.has_positions(i)
            if not fp.has_positions(i):
                assert pf.positions_in(i, list(range(docs))[:100]) == {}
                continue
            # some documents holding the term, some not (numpy's path: phrase.leaf_positions)
            want = sorted(set(ids.tolist()[::2]) | {docs - 1})
            sel = np.searchsorted(ids, want)
            held = [j for j, d in zip(sel.tolist(), want, strict=True)
                    if j < len(ids) and ids[j] == d]
            counts, pos = fp.positions_of(i, np.asarray(held, dtype=np.int64))
            ends = np.cumsum(counts).tolist()
            expected = {int(ids[j]): pos.tolist()[e - n:e]
                        for j, n, e in zip(held, counts.tolist(), ends, strict=True)}
            assert pf.positions_in(i, want) == expected
            assert all(len(v) == int(ws[ids.tolist().index(d)]) for d, v in expected.items())


def test_a_sidecar_shorter_than_its_sections_is_not_opened(tmp_path: Path) -> None:
    path = tmp_path / "MAIN_x.wbx"
    _write(path, 50, 0, False)
    raw = path.read_bytes()
    path.write_bytes(raw[:-64])  # the header's size no longer matches
    with pytest.raises(ValueError):
        sidecar.Sidecar(path, 50)
