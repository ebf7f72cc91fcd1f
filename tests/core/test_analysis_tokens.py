"""The shared analysis gives exactly the tokens it gave when the indexes were written.

Every index on disk (Whoosh's, and the server's ``wbsearch`` rows) holds the terms, offsets
and stems ``workbench.search.analysis`` gave when it was built, and queries are analysed by the
same code: a change in one token (a fold, a bigram, an offset, a stem) makes a search miss
what the index holds, silently. The analysis was made faster (issue 19) without changing a
token; this test keeps it so. ``tests/fixtures/analysis/tokens.json`` was written by the
analysis before that work (commit 3524e47) over English, Chinese, Uyghur (also in Arabic
presentation forms, as PDFs give it), Arabic with harakat and tatweel, accented Latin,
invisible controls and compatibility forms; to change a token on purpose, bump the index
formats and write the file again (``python tests/core/test_analysis_tokens.py``).
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GOLDEN = FIXTURES / "analysis" / "tokens.json"


def _presentation_forms(text: str) -> str:
    """``text`` with each Arabic letter replaced by its isolated presentation form."""
    forms: dict[str, str] = {}
    for cp in [*range(0xFE70, 0xFEFF), *range(0xFB50, 0xFDFF)]:
        ch = chr(cp)
        base = unicodedata.normalize("NFKC", ch)
        if len(base) == 1 and unicodedata.decomposition(ch).startswith("<isolated>"):
            forms.setdefault(base, ch)
    return "".join(forms.get(c, c) for c in text)


UYGHUR = "ئۇيغۇر ئاپتونوم رايونى ھەققىدە دوكلات. ئۈرۈمچى شەھىرىدىكى ئادەملەر مەجبۇرىي ئەمگەك"
SAMPLES = {
    **{p.stem: p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "corpus").glob("*.txt"))},
    "chinese": ("联合国人权事务高级专员巴切莱特发布了关于新疆维吾尔自治区的报告。报告指出，"
                "强迫劳动和任意拘留可能构成危害人类罪。乌鲁木齐的居民接受了采访。2022年8月31日"
                "发布。ｶﾀｶﾅ 半角 カタカナ 한국어 보고서 㐀㐁 豈更"),
    "uyghur": UYGHUR,
    "uyghur-presentation-forms": "\u202b" + _presentation_forms(UYGHUR) + "\u202c rayoni",
    "arabic": ("تَقْرِيرُ الأُمَمِ المُتَّحِدَةِ عَنْ حُقُوقِ الإِنْسَانِ فِي شِينْجِيَانْغ "
               "العـــربية مجلس حقوق الإنسان ١٢٣ ٤٥٦ قال الشاهد: «احتُجزتُ في المعسكر»"),
    "latin": ("Ürümqi URUMQI Urumqi façade naïve Ærøskøbing straße İstanbul ǅemal "
              "ﬁnancial ﬂows Ｆｕｌｌｗｉｄｔｈ １２３ x²y³ Ⅻ ℌ snake_case __init__ "
              "co\u00adoperation zero\u200bwidth \ufeffbom re\u0301sume\u0301 Ωμέγα Кыргызстан"),
    "english-stems": ("Detainees were labouring in factories; labor transfers, transferred, "
                      "generalizations, hopefulness, conditional, relational, sensibilities, "
                      "rationalize, yearly, skies, dying, agreed, feed, happy, controlling, "
                      "fundamentally, witnessed, witnesses, testimonies, 1989's, A.B.C., e-mail"),
    "mixed": ("The report (报告, دوكلات) on Xinjiang 新疆 — see p. 12–14 — quotes "
              "\u2066ئۇيغۇر\u2069 and \u200fالعربية\u200f text; ＡＢＣ ﾊﾝｶｸ"),
}


def analysed() -> dict[str, Any]:
    """What the analysis gives for each sample: the tokens with their offsets, each term's
    stem where it differs, and the metadata keys."""
    from workbench.search.analysis import fold, keyword, source_keys, stem, tag_keys, tokens

    out: dict[str, Any] = {}
    for name, text in SAMPLES.items():
        toks = [[t, s, e] for t, s, e in tokens(text)]
        stems = {t: stem(t) for t, _s, _e in toks if stem(t) != t}
        words = text.split()[:40]
        out[name] = {"tokens": toks, "stems": stems,
                     "folds": [fold(w) for w in words],
                     "keyword": keyword(text[:120]), "sources": source_keys(words[:8]),
                     "tags": tag_keys(["/".join(words[:3]), words[-1] if words else ""])}
    return out


def test_the_analysis_gives_the_tokens_the_indexes_were_written_with() -> None:
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    got = json.loads(json.dumps(analysed(), ensure_ascii=False))  # tuples as lists
    assert sorted(got) == sorted(expected)
    for name in expected:
        for part in ("tokens", "stems", "folds", "keyword", "sources", "tags"):
            want, have = expected[name][part], got[name][part]
            if part == "tokens" and want != have:
                first = next(i for i, (a, b) in enumerate(zip(want, have, strict=False))
                             if a != b) if len(want) == len(have) else min(len(want), len(have))
                raise AssertionError(f"{name}: token {first} is {have[first:first + 3]}, "
                                     f"was {want[first:first + 3]}")
            assert have == want, (name, part)


def test_the_cached_analysis_gives_the_same_tokens_as_the_first_call() -> None:
    from workbench.search import analysis

    first = analysed()
    assert analysed() == first  # the memoised folds and stems answer as the first call did
    analysis.fold.cache_clear()
    analysis.stem.cache_clear()
    assert analysed() == first


def test_the_invisible_controls_a_word_is_trimmed_of_are_those_it_may_hold() -> None:
    from workbench.search.analysis import _INVISIBLE_CHARS, _INVISIBLE_RE

    every = {chr(c) for c in range(0x110000) if _INVISIBLE_RE.match(chr(c))}
    assert set(_INVISIBLE_CHARS) == every


if __name__ == "__main__":  # write the golden file again (only with an index format bump)
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    GOLDEN.parent.mkdir(exist_ok=True)
    data = analysed()
    GOLDEN.write_text("{\n" + ",\n".join(
        f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in data.items())
        + "\n}\n", encoding="utf-8")
