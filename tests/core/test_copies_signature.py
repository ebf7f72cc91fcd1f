"""The signature is datasketch's MinHash (computed without importing it), shingles fold like
search, and the bands find a signature's near copies and not unrelated ones."""

from __future__ import annotations

import zlib

import numpy as np

from workbench.copies.bands import Bands
from workbench.copies.signature import BLOCK, NUM_PERM, jaccard, shingles, sign


def test_the_signature_is_datasketchs_minhash(corpus_texts: dict[str, str]) -> None:
    from datasketch import MinHash

    chinese = ("联合国人权事务高级专员办事处发表了关于新疆的评估报告，报告认为中国政府对维吾尔族"
               "和其他穆斯林群体的任意和歧视性拘留可能构成国际罪行，特别是危害人类罪。报告记录了"
               "酷刑、性暴力、强迫劳动和家庭分离的指控，并建议有关国家政府立即释放所有被任意剥夺"
               "自由的人，澄清失踪者的下落，并审查国内安全法律框架。")
    # All of them in one: several of sign_hashes' blocks of shingles and a partial last one.
    whole = "\n\n".join(corpus_texts.values())
    assert len(shingles(whole)) > 2 * BLOCK and len(shingles(whole)) % BLOCK
    for text in [*corpus_texts.values(), chinese, whole]:
        ours = sign(text)
        theirs = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=zlib.crc32, scheme="affine32")
        theirs.update_batch(list(shingles(text)))
        assert ours.values.dtype == np.uint32
        assert np.array_equal(ours.values, theirs.hashvalues)
        assert ours.shingles == len(shingles(text))


def test_shingles_fold_like_search() -> None:
    a = "The Rapporteur visited Ürümqi in 2022 and met “officials” of the Region there."
    b = "the rapporteur visited URUMQI in 2022\nand met \"officials\" of the region there."
    assert shingles(a) == shingles(b)
    assert b"\xe6\x96\xb0\xe7\x96\x86\xe7\xbb\xb4\xe5\x90\xbe" in shingles("新疆维吾尔")  # 新疆维吾


def test_bands_find_near_copies_only(corpus_texts: dict[str, str]) -> None:
    texts = list(corpus_texts.values())
    sigs = [sign(t) for t in texts]
    near = sign(texts[0].replace("Bachelet", "the High Commissioner"))
    assert jaccard(sigs[0], near) > 0.8
    bands = Bands.build([1, 2, 3], np.stack([s.values for s in sigs]))
    assert bands.candidates(near.values) == {1}
    later = Bands()
    for i, s in enumerate(sigs, 1):  # added one by one, as imports do
        later.add(i, s.values)
    assert later.candidates(near.values) == {1}


def _shingles_one_by_one(text: str) -> set[bytes]:
    """The shingles as the definition says, one join at a time (the reference for the
    sliced construction ``shingles`` uses)."""
    import unicodedata

    from workbench.copies import signature as S

    out: set[bytes] = set()
    words: list[str] = []
    if text.isascii():
        words = S._ASCII_WORD.findall(text.lower())
    else:
        text = unicodedata.normalize("NFKC", text)
        last = 0
        for m in S._UNSPACED_RE.finditer(text):
            S._words(text[last:m.start()], words)
            S._char_grams(m.group().casefold(), out)
            last = m.end()
        S._words(text[last:], words)
    for i in range(max(0, len(words) - S.WORDS + 1)):
        out.add(" ".join(words[i:i + S.WORDS]).encode())
    if 0 < len(words) < S.WORDS:
        out.add(" ".join(words).encode())
    return out


def test_shingles_are_the_five_word_windows_of_every_script(
        corpus_texts: dict[str, str]) -> None:
    texts = [
        *corpus_texts.values(),
        "",
        "one",
        "one two three four",
        "one two three four five",
        "Ürümqi: the “Region” — café, naïve; Straße STRASSE ﬁnal",  # folds and ligatures
        # NFKC spells this ligature out as four words with spaces inside one token
        "قال \ufdfa في الخطبة إن الحقوق مكفولة للجميع دون تمييز بين الناس",
        "ئۇيغۇر تىلى ۋە مەدەنىيىتى قوغدىلىشى كېرەك، دېدى ئۇ مۇخبىرلارغا",
        "新疆维吾尔自治区 the report 说 forced labour 强迫劳动 in 2022 年",
        "Ελληνικά κείμενα και русский текст вместе with English words here",
    ]
    for text in texts:
        assert shingles(text) == _shingles_one_by_one(text), text[:40]
