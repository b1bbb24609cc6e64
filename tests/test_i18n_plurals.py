"""Counts said through the i18n layer: babel's CLDR plural rules (French: 0
and 1 singular; English: 1 only), never "article(s)"."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.site.i18n import Plural, plural_category, shared_reason, strings

TEMPLATES = Path(__file__).parents[1] / "themes" / "default" / "templates"


@pytest.mark.parametrize("lang, n, category", [
    ("fr", 0, "one"), ("fr", 1, "one"), ("fr", 2, "other"), ("fr", 1_000_000, "many"),
    ("en", 0, "other"), ("en", 1, "one"), ("en", 2, "other"),
    ("fr-CA", 0, "one"), ("de", 0, "other"),  # a language without strings takes English's rule and strings
])
def test_plural_categories_follow_cldr(lang, n, category):
    assert plural_category(n, lang) == category


def test_french_counts_zero_and_one_in_the_singular():
    t = strings("fr")
    assert [t["articles_count"].format(n=n) for n in (0, 1, 2)] == ["0 article", "1 article", "2 articles"]
    assert [t["mentions_n"].format(n=n) for n in (0, 1, 5)] == ["0 mention", "1 mention", "5 mentions"]
    assert t["articles_count"].format(n=2052) == "2\u202f052 articles"  # babel's French grouping
    assert t["articles_count"].format(n=1_000_000) == "1\u202f000\u202f000 articles"  # "many" is a plural


def test_english_counts_only_one_in_the_singular():
    t = strings("en")
    assert [t["articles_count"].format(n=n) for n in (0, 1, 2)] == ["0 articles", "1 article", "2 articles"]
    assert [t["mentions_n"].format(n=n) for n in (0, 1, 5)] == ["0 mentions", "1 mention", "5 mentions"]
    assert t["articles_count"].format(n=2052) == "2,052 articles"


def test_shared_entities_reason_is_a_plural_too():
    assert shared_reason(["Iran"], "fr") == "1 entité en commun : Iran"
    assert shared_reason(["Iran", "Irak"], "en") == "2 shared entities: Iran, Irak"


def test_a_plural_is_never_shown_without_its_count():
    with pytest.raises(TypeError):
        str(strings("fr")["articles_count"])
    assert isinstance(strings("en")["articles_count"], Plural)


def test_no_string_or_template_says_s_in_brackets():
    for lang in ("fr", "en"):
        for key, value in strings(lang).items():
            forms = value[:2] if isinstance(value, Plural) else (value,)
            assert not any("(s)" in form for form in forms), (lang, key)
    for template in TEMPLATES.iterdir():
        assert not re.search(r"\w\(s\)", template.read_text(encoding="utf-8")), template.name


def test_built_pages_say_counts_in_words(built_sample):
    public = built_sample / "public"
    offenders = [p.relative_to(public).as_posix() for p in public.rglob("*.html")
                 if re.search(r"(article|mention)\(s\)", p.read_text(encoding="utf-8"))]
    assert not offenders
    assert "11 articles" in (public / "people" / "emmanuel-macron" / "index.html").read_text(encoding="utf-8")
    month = (public / "archive" / "2020" / "01" / "index.html").read_text(encoding="utf-8")
    assert "6 articles" in month
