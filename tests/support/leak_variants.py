"""Names and the spellings of them a reader still recognises, for redaction leak tests.

Used by ``tests/core/test_redaction_properties.py`` and ``tests/adversarial/leak_hunt.py``.
Three parts, all independent of ``workbench.redact`` (a test that let the matcher decide what
counts as "the same name" could not catch the matcher's misses):

- names: Latin (one and two words), Chinese, Uyghur and Arabic, as fixed examples and as
  Hypothesis strategies;
- variants: named, composable transformations of a name (case, full-width, combining marks,
  invisible characters, tatweel, CJK spacing, hyphenated line breaks, letter-spacing, word
  separators, look-alike letters, Arabic keyboard variants, presentation forms, HTML entities,
  percent-encoding). Each takes a ``random.Random`` for where to act, so the leak hunt can use
  them deterministically and Hypothesis can drive them;
- ``reader_key`` / ``readable``: this file's own notion of "a reader can still read the name
  here", the inverse of the variants (decoding is the caller's job; see ``decoded_forms``).
"""

from __future__ import annotations

import html
import random
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, unquote, unquote_plus

# --- names -----------------------------------------------------------------------------------

LATIN, HAN, ARABIC = "latin", "han", "arabic"  # ARABIC: the Arabic script (Uyghur too)


@dataclass(frozen=True)
class Name:
    text: str
    script: str
    language: str

    @property
    def words(self) -> list[str]:
        return self.text.split(" ")

    @property
    def rtl(self) -> bool:
        return self.script == ARABIC


# The issue's terms, and a few more that exercise Arabic yeh and kaf.
ISSUE_TERMS = (
    Name("Ekpar", LATIN, "en"),
    Name("艾克帕尔", HAN, "zh"),
    Name("ئەكپەر", ARABIC, "ug"),
    Name("Ekpar Asat", LATIN, "en"),
)
EXTRA_TERMS = (
    Name("بشير", ARABIC, "ar"),
    Name("كريمة", ARABIC, "ar"),
    Name("Zumrat Dawut", LATIN, "en"),
    Name("古丽米拉", HAN, "zh"),
    Name("مىھرىگۈل", ARABIC, "ug"),
)

_ONSETS = ("b", "d", "g", "k", "q", "z", "m", "n", "r", "t", "sh", "kh", "zh", "p", "v", "j")
_VOWELS = ("a", "e", "o", "u", "i")
_CODAS = ("", "", "r", "n", "t", "k", "m", "q")
HAN_CHARS = ("艾克帕尔古丽米拉阿依吾买提热合曼努尔麦麦提图尔荪祖木热迪力夏提伊力哈木"
             "王李张刘陈杨赵吴周孙马朱胡郭林罗郑谢宋唐韩冯邓曹彭萧田潘袁蔡蒋")
UYGHUR_LETTERS = "ابپتجچخدرزژسشغفقكگڭلمنھوۇۆۈۋېىي"
ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def latin_word(rng: random.Random) -> str:
    n = rng.randint(2, 3)
    word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(n))
    word += rng.choice(_CODAS)
    return word.capitalize()


def random_name(script: str, rng: random.Random, words: int = 1) -> Name:
    if script == LATIN:
        return Name(" ".join(latin_word(rng) for _ in range(words)), LATIN, "en")
    if script == HAN:
        return Name("".join(rng.choice(HAN_CHARS) for _ in range(rng.randint(2, 4))), HAN, "zh")
    if rng.random() < 0.5:
        body = "".join(rng.choice(UYGHUR_LETTERS) for _ in range(rng.randint(3, 6)))
        return Name("ئە" + body, ARABIC, "ug")
    letters = "".join(rng.choice(ARABIC_LETTERS) for _ in range(rng.randint(3, 5)))
    # At least one yeh or kaf, so the keyboard-variant spellings change something.
    return Name(letters + rng.choice("يك"), ARABIC, "ar")


# --- variants --------------------------------------------------------------------------------

Transform = Callable[[str, random.Random], str]

# Stages: variants are applied in this order so that an encoding is always the outermost.
LETTERS, MARKS, SPACING, INVISIBLE, ENCODING = range(5)

CYRILLIC = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "k": "к", "y": "у",
            "E": "Е", "A": "А", "O": "О", "P": "Р", "C": "С", "X": "Х", "K": "К", "B": "В",
            "H": "Н", "M": "М", "T": "Т"}
GREEK = {"A": "Α", "B": "Β", "E": "Ε", "Z": "Ζ", "H": "Η", "I": "Ι", "K": "Κ", "M": "Μ",
         "N": "Ν", "O": "Ο", "P": "Ρ", "T": "Τ", "Y": "Υ", "X": "Χ", "o": "ο"}
INVISIBLES = ("\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\u200e", "\u200f", "\u061c",
              "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
              "\u2069", "\ufeff")
LATIN_MARKS = ("\u0301", "\u0300", "\u0308", "\u0323", "\u0331", "\u0336", "\u0327")
ARABIC_MARKS = ("\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u064b", "\u0670")
HAN_MARKS = ("\ufe00", "\ufe01", "\U000e0100")  # variation selectors
TATWEEL = "\u0640"
FARSI = {"\u064a": "\u06cc", "\u0643": "\u06a9"}  # Arabic yeh -> Farsi yeh, kaf -> keheh
WORD_SEPARATORS = ("_", "-", "+", ".", "%20", "", "  ", "\n", "\t", "-\n")
HYPHEN_BREAKS = ("-\n", "-\r\n", "\u2010\n", "-\n    ", "- \n", "\u00ad\n")
LETTER_GAPS = (" ", "  ", "\u00a0", "\u2009", "\u3000")
CJK_GAPS = (" ", "\u3000", "\n", "\r\n", "\u00a0", " \n ")


def _positions(word: str, rng: random.Random, every: bool) -> list[int]:
    """Inner gaps of ``word`` (1..len-1) to act on: all of them, or one at random."""
    inner = list(range(1, len(word)))
    if not inner:
        return []
    return inner if every else [rng.choice(inner)]


def _insert(text: str, pieces: Callable[[], str], at: list[int]) -> str:
    out = []
    for i, ch in enumerate(text):
        if i in at:
            out.append(pieces())
        out.append(ch)
    return "".join(out)


def _letters_only(text: str) -> list[int]:
    return [i for i, c in enumerate(text) if unicodedata.category(c).startswith("L")]


def _map_letters(text: str, table: dict[str, str], rng: random.Random, every: bool) -> str:
    spots = [i for i, c in enumerate(text) if c in table]
    if not spots:
        return text
    chosen = set(spots if every else [rng.choice(spots)])
    return "".join(table[c] if i in chosen else c for i, c in enumerate(text))


def _per_word(fn: Callable[[str, random.Random], str]) -> Transform:
    def run(text: str, rng: random.Random) -> str:
        return " ".join(fn(w, rng) for w in text.split(" "))
    return run


def _upper(t: str, r: random.Random) -> str:
    return t.upper()


def _lower(t: str, r: random.Random) -> str:
    return t.lower()


def _swapcase(t: str, r: random.Random) -> str:
    return t.swapcase()


def _random_case(t: str, r: random.Random) -> str:
    return "".join(c.upper() if r.random() < 0.5 else c.lower() for c in t)


def _fullwidth(t: str, r: random.Random) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else
                   ("\u3000" if c == " " else c) for c in t)


def _cyrillic_one(t: str, r: random.Random) -> str:
    return _map_letters(t, CYRILLIC, r, every=False)


def _cyrillic_all(t: str, r: random.Random) -> str:
    return _map_letters(t, CYRILLIC, r, every=True)


def _greek(t: str, r: random.Random) -> str:
    return _map_letters(t, GREEK, r, every=True)


def _farsi(t: str, r: random.Random) -> str:
    return _map_letters(t, FARSI, r, every=True)


def _alef_maksura(t: str, r: random.Random) -> str:
    return _map_letters(t, {"\u064a": "\u0649"}, r, every=True)


@lru_cache(maxsize=512)
def _presentation(ch: str, form: str) -> str:
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return ch
    for f in (form, "ISOLATED"):
        try:
            return unicodedata.lookup(f"{name} {f} FORM")
        except KeyError:
            continue
    return ch


def _presentation_forms(t: str, r: random.Random) -> str:
    out = []
    for w in t.split(" "):
        chars = []
        for i, c in enumerate(w):
            form = ("INITIAL" if i == 0 else "FINAL" if i == len(w) - 1 else "MEDIAL")
            chars.append(_presentation(c, form))
        out.append("".join(chars))
    return " ".join(out)


def _marks(options: tuple[str, ...], every: bool) -> Transform:
    def run(t: str, r: random.Random) -> str:
        spots = _letters_only(t)
        if not spots:
            return t
        chosen = set(spots if every else [r.choice(spots)])
        return "".join(c + (r.choice(options) if i in chosen else "") for i, c in enumerate(t))
    return run


def _in_words(options: tuple[str, ...], every: bool) -> Transform:
    """One of ``options`` inside each word, at one inner gap or at all of them."""
    def word(w: str, r: random.Random) -> str:
        return _insert(w, lambda: r.choice(options), _positions(w, r, every))
    return _per_word(word)


def _hyphen_break(t: str, r: random.Random) -> str:
    words = t.split(" ")
    i = r.choice([k for k, w in enumerate(words) if len(w) >= 2] or [0])
    w = words[i]
    if len(w) >= 2:
        cut = r.randint(1, len(w) - 1)
        words[i] = w[:cut] + r.choice(HYPHEN_BREAKS) + w[cut:]
    return " ".join(words)


def _letter_spaced(t: str, r: random.Random) -> str:
    gap = r.choice(LETTER_GAPS)
    return " ".join(gap.join(w) for w in t.split(" "))


def _cjk_gaps(every: bool) -> Transform:
    def run(t: str, r: random.Random) -> str:
        return _insert(t, lambda: r.choice(CJK_GAPS), _positions(t, r, every))
    return run


def _word_separator(t: str, r: random.Random) -> str:
    return r.choice(WORD_SEPARATORS).join(t.split(" "))


def _invisible_one(t: str, r: random.Random) -> str:
    return _insert(t, lambda: r.choice(INVISIBLES), _positions(t, r, False))


def _invisible_all(t: str, r: random.Random) -> str:
    return _insert(t, lambda: r.choice(INVISIBLES), _positions(t, r, True))


def _invisible_around(t: str, r: random.Random) -> str:
    return r.choice(INVISIBLES) + t + r.choice(INVISIBLES)


def _tatweel(every: bool) -> Transform:
    def run(t: str, r: random.Random) -> str:
        def word(w: str, rr: random.Random) -> str:
            return _insert(w, lambda: TATWEEL * rr.randint(1, 3), _positions(w, rr, every))
        return _per_word(word)(t, r)
    return run


def _entities_dec(t: str, r: random.Random) -> str:
    return "".join(f"&#{ord(c)};" for c in t)


def _entities_hex(t: str, r: random.Random) -> str:
    return "".join(f"&#x{ord(c):x};" for c in t)


def _entity_one(t: str, r: random.Random) -> str:
    spots = _letters_only(t)
    if not spots:
        return t
    i = r.choice(spots)
    return t[:i] + f"&#{ord(t[i])};" + t[i + 1:]


def _percent(t: str, r: random.Random) -> str:
    return quote(t, safe="")


def _percent_all(t: str, r: random.Random) -> str:
    return "".join(f"%{b:02X}" for b in t.encode("utf-8"))


@dataclass(frozen=True)
class Variant:
    """A spelling change a reader sees through. ``scripts``: the scripts it applies to."""

    id: str
    stage: int
    scripts: frozenset[str]
    fn: Transform
    multiword: bool = False  # only for names of two or more words
    encoded: bool = False  # an encoding (entities, percent): readable once decoded

    def applies(self, name: Name) -> bool:
        return name.script in self.scripts and (not self.multiword or len(name.words) > 1)

    def __call__(self, text: str, rng: random.Random) -> str:
        return self.fn(text, rng)


_ALL = frozenset({LATIN, HAN, ARABIC})
_L, _H, _A = frozenset({LATIN}), frozenset({HAN}), frozenset({ARABIC})

VARIANTS: tuple[Variant, ...] = (
    Variant("upper", LETTERS, _L, _upper),
    Variant("lower", LETTERS, _L, _lower),
    Variant("swapcase", LETTERS, _L, _swapcase),
    Variant("random-case", LETTERS, _L, _random_case),
    Variant("cyrillic-one", LETTERS, _L, _cyrillic_one),
    Variant("cyrillic-all", LETTERS, _L, _cyrillic_all),
    Variant("greek", LETTERS, _L, _greek),
    Variant("fullwidth", LETTERS, _L, _fullwidth),
    Variant("farsi-yeh-keheh", LETTERS, _A, _farsi),
    Variant("alef-maksura", LETTERS, _A, _alef_maksura),
    Variant("presentation-forms", LETTERS, _A, _presentation_forms),
    Variant("combining-one", MARKS, _L, _marks(LATIN_MARKS, every=False)),
    Variant("combining-all", MARKS, _L, _marks(LATIN_MARKS, every=True)),
    Variant("harakat", MARKS, _A, _marks(ARABIC_MARKS, every=True)),
    Variant("variation-selectors", MARKS, _H, _marks(HAN_MARKS, every=True)),
    Variant("hyphen-break", SPACING, _L, _hyphen_break),
    Variant("letter-spaced", SPACING, _L, _letter_spaced),
    Variant("cjk-gap-one", SPACING, _H, _cjk_gaps(every=False)),
    Variant("cjk-gap-all", SPACING, _H, _cjk_gaps(every=True)),
    Variant("word-separator", SPACING, _L | _A, _word_separator, multiword=True),
    Variant("invisible-one", INVISIBLE, _ALL, _invisible_one),
    Variant("invisible-all", INVISIBLE, _ALL, _invisible_all),
    Variant("invisible-around", INVISIBLE, _ALL, _invisible_around),
    Variant("soft-hyphen", INVISIBLE, _ALL, _in_words(("\u00ad",), every=False)),
    Variant("zwsp-all", INVISIBLE, _ALL, _in_words(("\u200b",), every=True)),
    Variant("bidi-marks", INVISIBLE, _ALL, _in_words(("\u200e", "\u200f", "\u202b",
                                                      "\u202c", "\u2067", "\u2069"),
                                                     every=True)),
    Variant("tatweel-one", INVISIBLE, _A, _tatweel(every=False)),
    Variant("tatweel-all", INVISIBLE, _A, _tatweel(every=True)),
    Variant("entities-dec", ENCODING, _ALL, _entities_dec, encoded=True),
    Variant("entities-hex", ENCODING, _ALL, _entities_hex, encoded=True),
    Variant("entity-one", ENCODING, _ALL, _entity_one, encoded=True),
    Variant("percent", ENCODING, _H | _A, _percent, encoded=True),
    Variant("percent-all", ENCODING, _ALL, _percent_all, encoded=True),
)
BY_ID = {v.id: v for v in VARIANTS}

# The issue's own examples, as (name, variant id, the spelling it reported).
ISSUE_EXAMPLES = (
    ("ئەكپەر", "tatweel-one", "ئەكـپەر"),       # L4
    ("艾克帕尔", "cjk-gap-all", "艾 克 帕 尔"),   # L5
    ("艾克帕尔", "cjk-gap-one", "艾克\n帕尔"),    # L6
    ("Ekpar", "hyphen-break", "Ek-\npar"),         # L8
    ("Ekpar Asat", "word-separator", "Ekpar%20Asat"),  # L9
    ("Ekpar Asat", "word-separator", "Ekpar_Asat"),    # L10
    ("Ekpar", "cyrillic-one", "Еkpar"),             # L12
)


def variants_for(name: Name, *, encoded: bool | None = None) -> list[Variant]:
    return [v for v in VARIANTS if v.applies(name) and (encoded is None or v.encoded == encoded)]


def apply_variants(name: Name, chosen: Iterable[Variant], rng: random.Random) -> str:
    """``name`` through each chosen variant, in stage order (at most one encoding, last)."""
    text = name.text
    encodings = 0
    spacing = 0
    # Case first: lower-casing a look-alike capital (Greek Η) gives a letter that no longer
    # looks like the Latin one (η).
    for v in sorted(chosen, key=lambda v: (v.stage, v.id not in _CASE)):
        if v.stage == ENCODING:
            encodings += 1
            if encodings > 1:
                continue
        if v.stage == SPACING:
            spacing += 1
            if spacing > 1:  # letter-spacing, breaks and separators do not combine
                continue
        text = v(text, rng)
    return text


_CASE = {"upper", "lower", "swapcase", "random-case"}


def spell(name: Name, variant_id: str, seed: int = 0) -> str:
    """One named variant of ``name``, deterministically (for the leak hunt)."""
    return apply_variants(name, [BY_ID[variant_id]], random.Random(f"{seed}:{name.text}"))


def is_encoded(chosen: Iterable[Variant]) -> bool:
    return any(v.encoded for v in chosen)


# --- Hypothesis strategies -------------------------------------------------------------------


def strategies() -> object:
    """A namespace of Hypothesis strategies (imported lazily: the leak hunt runs without it)."""
    from hypothesis import strategies as st

    class S:
        @staticmethod
        def names(scripts: tuple[str, ...] = (LATIN, HAN, ARABIC)) -> st.SearchStrategy[Name]:
            @st.composite
            def build(draw: st.DrawFn) -> Name:
                script = draw(st.sampled_from(scripts))
                words = draw(st.sampled_from((1, 1, 2))) if script != HAN else 1
                rng = draw(st.randoms(use_true_random=False))
                return random_name(script, rng, words)
            fixed = [n for n in ISSUE_TERMS + EXTRA_TERMS if n.script in scripts]
            return st.one_of(st.sampled_from(fixed), build())

        @staticmethod
        def spellings(names: st.SearchStrategy[Name] | None = None, *,
                      encoded: bool | None = False, max_variants: int = 3
                      ) -> st.SearchStrategy[tuple[Name, str, tuple[str, ...]]]:
            """(name, spelling, variant ids): one to ``max_variants`` variants composed."""
            names_ = names if names is not None else S.names()

            @st.composite
            def build(draw: st.DrawFn) -> tuple[Name, str, tuple[str, ...]]:
                name = draw(names_)
                pool = [v for v in variants_for(name) if encoded is None or not v.encoded]
                chosen = draw(st.lists(st.sampled_from(pool), min_size=1,
                                       max_size=max_variants, unique_by=lambda v: v.id))
                if encoded:
                    enc = [v for v in variants_for(name) if v.encoded]
                    chosen.append(draw(st.sampled_from(enc)))
                rng = draw(st.randoms(use_true_random=False))
                text = apply_variants(name, chosen, rng)
                return name, text, tuple(v.id for v in chosen)
            return build()

    return S


# --- the independent reader ------------------------------------------------------------------

_LOOKALIKE_BACK = {ord(k): v for k, v in
                   [(c, latin) for latin, c in CYRILLIC.items()]
                   + [(c, latin) for latin, c in GREEK.items()]}
_LOOKALIKE_BACK.update({ord(c.lower()): latin.lower() for latin, c in
                        list(CYRILLIC.items()) + list(GREEK.items())})
_ARABIC_BACK = {0x06CC: 0x064A, 0x0649: 0x064A, 0x06A9: 0x0643}
_SEPARATORS = re.compile(r"[\s\-_+.\u00b7\u2010-\u2015\u2212\u30fb/]+|%20")


@lru_cache(maxsize=1)
def _drop() -> dict[int, None]:
    planes = [*range(0x30000), *range(0xE0000, 0xE1000)]
    drop = {cp: None for cp in planes
            if unicodedata.category(chr(cp)) in ("Mn", "Me", "Cf")}
    drop[0x0640] = None  # tatweel
    return drop


def reader_key(text: str) -> str:
    """``text`` as a reader compares it with a name: case, width, marks, invisible and
    elongation characters, whitespace and word separators gone, look-alikes mapped back."""
    text = unicodedata.normalize("NFKC", text)
    text = unicodedata.normalize("NFKD", text).translate(_drop())
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.translate(_LOOKALIKE_BACK).translate(_ARABIC_BACK)
    return _SEPARATORS.sub("", text)


def needles(name: str) -> set[str]:
    """The reader keys of a name: as written, and reversed for right-to-left script (some PDF
    text extractors emit visual order)."""
    k = reader_key(name)
    out = {k}
    if any(unicodedata.bidirectional(c) in ("R", "AL") for c in name):
        out.add(k[::-1])
    return {n for n in out if n}


def decoded_forms(text: str) -> Iterator[str]:
    """``text`` as is, entity-decoded, percent-decoded, and without markup (independent of
    ``workbench.redact.matcher.readings``)."""
    yield text
    seen = {text}
    for form in (html.unescape(text), unquote(text), unquote_plus(text),
                 html.unescape(unquote(text)), unquote(html.unescape(text)),
                 html.unescape(re.sub(r"<[^>]*>", "", text)),
                 html.unescape(re.sub(r"<[^>]*>", " ", text))):
        if form not in seen:
            seen.add(form)
            yield form


def readable(name: str, text: str, *, decode: bool = True) -> bool:
    """Whether ``name`` can be read in ``text`` (in any decoded form when ``decode``)."""
    wanted = needles(name)
    forms = decoded_forms(text) if decode else iter((text,))
    return any(n in reader_key(f) for f in forms for n in wanted)
