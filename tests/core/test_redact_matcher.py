"""The one matcher: every spelling issue 12 lists is found, ordinary text is left alone."""

from __future__ import annotations

import pytest

from workbench.dossier.redaction import Rule, apply, redact_plain
from workbench.redact.fold import fold, fold_with_map
from workbench.redact.matcher import Matcher, describe_form

TERMS = ["Ekpar", "艾克帕尔", "ئەكپەر", "Ekpar Asat"]


@pytest.mark.parametrize(("text", "term"), [
    ("said EKPAR today", "Ekpar"),                               # case
    ("said Ｅｋｐａｒ today", "Ekpar"),                          # full width (NFKC)
    ("said Ékpár today", "Ekpar"),                               # combining marks
    ("said Ek\u200bp\u00adar\u2060 today", "Ekpar"),             # invisible characters
    ("said \u202eEkpar\u202c today", "Ekpar"),                   # bidi controls
    ("ئەكـپەر", "ئەكپەر"),                                       # tatweel (L4)
    ("ئەكــــپەر", "ئەكپەر"),                                    # long elongation
    ("\ufe8b\u06d5\ufedb\ufb58\u06d5\ufeae", "ئەكپەر"),          # presentation forms
    ("艾 克 帕 尔", "艾克帕尔"),                                  # spaces between CJK (L5)
    ("艾克\n帕尔", "艾克帕尔"),                                   # line break (L6)
    ("艾\u3000克帕尔", "艾克帕尔"),                               # ideographic space
    ("Ek-\npar", "Ekpar"),                                       # hyphenated break (L8)
    ("Ek\u2010 par", "Ekpar"),                                   # Unicode hyphen
    ("E k p a r", "Ekpar"),                                      # letter-spaced
    ("Ekpar_Asat_meta.pdf", "Ekpar Asat"),                       # separators (L10)
    ("ekpar-asat", "Ekpar Asat"),
    ("Ekpar+Asat", "Ekpar Asat"),
    ("Ekpar.Asat", "Ekpar Asat"),
    ("who=Ekpar%20Asat", "Ekpar Asat"),                          # %20 (L9)
    ("EkparAsat", "Ekpar Asat"),                                 # no separator
    ("Ekpar  \n  Asat", "Ekpar Asat"),
    ("\u0415kpar", "Ekpar"),                                     # Cyrillic Е (L12)
    ("Ekp\u0430r", "Ekpar"),                                     # Cyrillic а
    ("\u0395kpar", "Ekpar"),                                    # Greek Epsilon
    ("\u0415\u043a\u0440\u0430r", "Ekpar"),                    # Cyrillic Е к р а
    ("ئە\u06a9پەر", "ئەكپەر"),                                  # keheh for kaf
    ("رەپكەئ", "ئەكپەر"),                                        # visual (reversed) order
])
def test_matcher_finds_every_spelling(text, term):
    m = Matcher([term])
    assert m.find(text) is not None
    assert m.spans(text)


@pytest.mark.parametrize(("text", "term"), [
    ("Ek&#112;ar", "Ekpar"),
    ("%45kpar", "Ekpar"),
    ("%E8%89%BE%E5%85%8B%E5%B8%95%E5%B0%94", "艾克帕尔"),
    ("&#33406;&#20811;&#24085;&#23572;", "艾克帕尔"),
    ("Ek<b>par</b>", "Ekpar"),
])
def test_encoded_forms_are_found_in_readings_and_redacted_decoded(text, term):
    m = Matcher([term])
    assert m.find(text) is None
    assert m.find_in_readings(text) is not None
    out = redact_plain(text, [Rule(term, "witness safety")])
    assert "[REDACTED: witness safety]" in out
    assert Matcher([term]).find_in_readings(out) is None


@pytest.mark.parametrize(("text", "term"), [
    ("the trek park was closed", "Ekpar"),
    ("he was a satellite engineer", "Asat"),
    ("Ek par", "Ekpar"),               # one space inside a word is another word
    ("艾克", "艾克帕尔"),
    ("Istanbul, Illinois", "ISTANBUL1"),
])
def test_ordinary_text_is_left_alone(text, term):
    assert Matcher([term]).find(text) is None


def test_ascii_letters_fold_only_by_case():
    assert fold("Hello World 0O1lI|") == "hello world 0o1li|"
    assert fold("\u0412\u041e\u041b\u041a") == "boлk"  # Cyrillic capitals with Latin twins


def test_fold_with_map_points_back_into_the_original():
    text = "A\u200bB\u0640C  ﬁ D"
    folded, origin = fold_with_map(text)
    assert folded == fold(text)
    assert all(0 <= i < len(text) for i in origin)
    assert len(origin) == len(folded)


def test_apply_keeps_surrounding_text_exact_and_names_the_longest_rule():
    rules = [Rule("Ekpar", "short"), Rule("Ekpar Asat", "long")]
    segs = apply("Met Ekpar_Asat, then Ek-\npar.", rules)
    assert [s.text for s in segs if not s.redacted] == ["Met ", ", then ", "."]
    assert [s.label for s in segs if s.redacted] == ["long", "short"]


def test_describe_form_never_repeats_the_term():
    m = Matcher(TERMS)
    for text in ("E k p a r", "\u0415kpar", "ئەكـپەر", "ekpar", "Ekpar"):
        hit = m.find(text)
        assert hit is not None
        form = describe_form(hit.found, m.terms[hit.term])
        assert "kpar" not in form.lower() and "ئ" not in form
