"""Language detection: how large a sample agrees with the whole text, at what cost.

Usage: .venv/bin/python tests/bench/bench_language.py [--sizes 1000 2000 3000 5000 8000]
       [--windows 1 3 5] [--locale-dir /usr/share/locale]
Prints one JSON object. Not part of the test suite; figures go to docs/PERFORMANCE.md.

The documents: the fixture corpus (English reports), real translated text in 17 languages
from the gettext catalogues a Debian system ships (``/usr/share/locale/*/LC_MESSAGES/*.mo``:
Uyghur, Arabic, Persian, Chinese, Japanese, Korean, Russian, …) cut into documents of 800 to
150,000 characters, and mixed documents built from them: an English header, cover or
appendix around a body in another language, English paragraphs scattered through one,
and one half English, half another language (genuinely mixed: any answer there is fair).

Each document is classified as a whole (the reference), by the rule before this change
(the first 20,000 characters after a skipped head), and by ``workbench.language.sample`` for
each size and window count; the model is the one Workbench loads, so only the sample differs.
Also, in fresh processes: opening the model as py3langid does (whole) and memory-mapped, with
the time and the resident memory it adds.
"""

from __future__ import annotations

import argparse
import gettext
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from workbench import language  # noqa: E402

LANGS = ["en_GB", "fr", "de", "es", "tr", "ru", "uk", "kk", "el", "he", "ar", "fa", "ug",
         "hi", "zh_CN", "zh_TW", "ja", "ko"]
LENGTHS = [800, 3_000, 8_000, 20_000, 60_000, 150_000]
PAGE = "\n\f\n"  # what persist.PAGE_SEPARATOR joins pages with


def catalogue_text(locale_dir: Path, lang: str) -> list[str]:
    """Every translated message of ``lang`` in the system's gettext catalogues."""
    out: list[str] = []
    for mo in sorted((locale_dir / lang / "LC_MESSAGES").glob("*.mo")):
        try:
            with open(mo, "rb") as fh:
                catalogue = gettext.GNUTranslations(fh)
        except Exception:  # a catalogue gettext cannot read is skipped
            continue
        messages = getattr(catalogue, "_catalog", {})
        out.extend(v for k, v in messages.items() if isinstance(v, str) and k and v.strip())
    return out


# Varieties the model tells apart that a catalogue's language does not: count either as right.
FAMILY = {"wuu": "zh", "yue": "zh", "ary": "ar", "arz": "ar"}


def code_of(locale: str) -> str:
    return locale.split("_")[0]


def right(code: str | None, labels: set[str]) -> bool:
    return FAMILY.get(code or "", code or "") in labels


def documents(locale_dir: Path, seed: int = 7) -> list[tuple[str, str, set[str]]]:
    """(name, text, the answers that are right: the language of the body, or either
    language when the document is about evenly split)."""
    rng = random.Random(seed)
    docs: list[tuple[str, str, set[str]]] = []
    corpus = [p.read_text(encoding="utf-8")
              for p in sorted((ROOT / "tests/fixtures/corpus").glob("*.txt"))]
    docs += [(f"corpus-{i}", t, {"en"}) for i, t in enumerate(corpus)]
    docs.append(("corpus-all", PAGE.join(corpus), {"en"}))
    bodies: dict[str, str] = {}
    for lang in LANGS:
        messages = catalogue_text(locale_dir, lang)
        rng.shuffle(messages)
        text = "\n".join(messages)
        bodies[lang] = text
        for n in LENGTHS:
            if len(text) >= n:
                at = rng.randrange(0, len(text) - n + 1)
                docs.append((f"{lang}-{n}", text[at:at + n], {code_of(lang)}))
    english = bodies.get("en_GB", "") or PAGE.join(corpus)

    def cut(text: str, n: int) -> str:
        at = rng.randrange(0, max(1, len(text) - n))
        return text[at:at + n]

    for lang in ("ug", "ar", "fa", "zh_CN", "ja", "ru", "he"):
        body, own = bodies.get(lang, ""), {code_of(lang)}
        if len(body) < 20_000:
            continue
        for head in (300, 2_000, 5_000, 25_000):
            for n in (10_000, 60_000):
                if len(body) >= n:
                    docs.append((f"en-header-{head}+{lang}-{n}",
                                 cut(english, head) + PAGE + cut(body, n),
                                 own if n >= 2 * head else own | {"en"}))
        for tail in (2_000, 10_000):
            docs.append((f"{lang}-40000+en-appendix-{tail}",
                         cut(body, 40_000) + PAGE + cut(english, tail), own))
        # English paragraphs (quotes, tables, references) through a body: one in five.
        paras = [cut(english, 400) if i % 5 == 4 else cut(body, 1_600) for i in range(30)]
        docs.append((f"{lang}+en-paragraphs", "\n\n".join(paras), own))
        docs.append((f"en-30000+{lang}-30000", cut(english, 30_000) + PAGE + cut(body, 30_000),
                     own | {"en"}))
    return docs


def old_sample(text: str) -> str:
    """The rule before: the first 20,000 characters after a skipped head."""
    if len(text) <= 20_000:
        return text
    start = min(len(text) // 10, 2_000)
    return text[start:start + 20_000]


def decide(text: str) -> tuple[str | None, float]:
    """``detect_language`` on an already chosen sample: the code (or None) and seconds."""
    t0 = time.perf_counter()
    if not language._enough_letters(text):
        return None, time.perf_counter() - t0
    code, confidence = language._model().classify(text)
    result = str(code) if float(confidence) >= language.MIN_CONFIDENCE else None
    return result, time.perf_counter() - t0


def score(docs: list[tuple[str, str, set[str]]], reference: list[str | None],
          choose: Callable[[str], str], old: list[str | None] | None = None
          ) -> dict[str, Any]:
    codes, times = [], []
    for _name, text, _labels in docs:
        t0 = time.perf_counter()
        chosen = choose(text)
        code, _ = decide(chosen)
        times.append(time.perf_counter() - t0)
        codes.append(code)
    out: dict[str, Any] = {
        "agree_with_whole_text": round(sum(a == b for a, b in zip(codes, reference, strict=True))
                                       / len(docs), 4),
        "right": round(sum(right(c, labels) for (_, _, labels), c in
                               zip(docs, codes, strict=True)) / len(docs), 4),
        "differs_from_whole_text": [f"{n}: {r} -> {c}" for (n, _, _), r, c in
                                    zip(docs, reference, codes, strict=True) if r != c],
        "wrong": [f"{n}: {c}" for (n, _, labels), c in zip(docs, codes, strict=True)
                  if not right(c, labels)],
        "ms_per_document_mean": round(1000 * statistics.fmean(times), 2),
        "ms_per_document_p95": round(1000 * sorted(times)[int(0.95 * (len(times) - 1))], 2),
    }
    if old is not None:
        out["agree_with_old_rule"] = round(sum(a == b for a, b in zip(codes, old, strict=True))
                                           / len(docs), 4)
    return out


OPEN = """
import json, sys, time
sys.path.insert(0, sys.argv[2])
import numpy  # the importing process holds it already (the search index)
def status():
    out = {}
    with open('/proc/self/status') as fh:
        for line in fh:
            key = line.split(':')[0]
            if key in ('VmRSS', 'RssAnon', 'RssFile', 'VmHWM'):
                out[key] = int(line.split()[1]) / 1024
    return out
before = status()
t0 = time.perf_counter()
if sys.argv[1] == 'whole':
    from py3langid.langid import MODEL_FILE, LanguageIdentifier
    model = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
else:
    from workbench.language_model import load_identifier
    model = load_identifier()
opened = time.perf_counter() - t0
after_open = status()
text = open(sys.argv[3], encoding='utf-8').read()
t0 = time.perf_counter()
for doc in text.split('\\x00'):
    model.classify(doc)
classified = time.perf_counter() - t0
after = status()
print(json.dumps({'open_s': round(opened, 3), 'classify_s': round(classified, 3),
                  'added_rss_mb_open': round(after_open['VmRSS'] - before['VmRSS'], 1),
                  'added_rss_mb': round(after['VmRSS'] - before['VmRSS'], 1),
                  'added_anon_mb': round(after['RssAnon'] - before['RssAnon'], 1),
                  'added_file_mb': round(after['RssFile'] - before['RssFile'], 1),
                  'added_peak_mb': round(after['VmHWM'] - before['VmHWM'], 1)}))
"""


def open_costs(samples: list[str], cache: Path) -> dict[str, Any]:
    """Opening the model whole and mapped, each in a fresh process, then classifying."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt",
                                     delete=False) as fh:
        fh.write("\x00".join(samples))
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    out: dict[str, Any] = {}
    try:
        for how in ("whole", "mapped-first-use", "mapped"):
            proc = subprocess.run([sys.executable, "-c", OPEN, how.split("-")[0], str(ROOT),
                                   fh.name], capture_output=True, text=True, env=env,
                                  check=True)
            out[how] = json.loads(proc.stdout)
    finally:
        os.unlink(fh.name)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[1_000, 2_000, 3_000, 5_000, 8_000])
    ap.add_argument("--windows", type=int, nargs="*", default=[1, 3, 5])
    ap.add_argument("--locale-dir", type=Path, default=Path("/usr/share/locale"))
    args = ap.parse_args()
    docs = documents(args.locale_dir)
    language._model()
    reference = [decide(text)[0] for _, text, _ in docs]
    old = score(docs, reference, old_sample)
    old_codes = [decide(old_sample(text))[0] for _, text, _ in docs]
    result: dict[str, Any] = {
        "benchmark": "language",
        "documents": len(docs),
        "languages_found": sorted({r for r in reference if r}),
        "old_rule_first_20000": old,
        "whole_text": score(docs, reference, lambda t: t),
    }
    for size in args.sizes:
        for windows in args.windows:
            result[f"sample_{size}_in_{windows}"] = score(
                docs, reference, lambda t, s=size, w=windows: language.sample(t, s, w),
                old_codes)
    result["current_rule"] = {"chars": language.SAMPLE_CHARS,
                              "windows": language.SAMPLE_WINDOWS}
    english = [language.sample(t) for n, t, _ in docs if n.startswith(("corpus", "en_GB"))]
    with tempfile.TemporaryDirectory() as cache:
        result["open_the_model_english_documents"] = open_costs(english, Path(cache))
    with tempfile.TemporaryDirectory() as cache:
        result["open_the_model_all_documents"] = open_costs(
            [language.sample(t) for _, t, _ in docs], Path(cache))
    result["load_average"] = os.getloadavg()
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
