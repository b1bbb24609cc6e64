"""Front matter is written through libyaml only where it gives exactly the
bytes PyYAML's own emitter gives (records must not change with the emitter)."""
from __future__ import annotations

import random

import pytest
import yaml

from generator.records import _DUMP_OPTIONS, _c_safe, dump_front_matter

pytestmark = pytest.mark.skipif(getattr(yaml, "CSafeDumper", None) is None, reason="PyYAML without libyaml")

# what scraped text and YAML make hard: indicators, quotes, numbers, booleans,
# dates, white space at either end, French typography, other scripts
_PIECES = [
    *"abcXYZ019 -?:,[]{}#&*!|>'\"%@`.=~+/\\()_;<",
    "\u00a0", "\u202f", "«", "»", "’", "…", "é", "È", "ç", "œ", "—", "–", "€", "°", "ß", "日本", "Ж", "ا",
    "\u2027", "\u202a", "\ud7ff", "\ue000", "\ufefe", "\uff01", "\ufffd", "\u3000", "\u200b", "\u00ad",
    "yes", "No", "NULL", "null", "~", "true", "off", "0x1F", "0o17", "012", "1e3", ".5", "-.inf", ".nan",
    "2020-01-03", "2020-01-03T10:00:00", "12:30", "1_000", "+1", "<<", "---", "...", "- ", ": ", " #", "? ",
    "  ", "!!str", "&a", "*a", "%YAML", "@x",
]
# characters the libyaml path must never see (PyYAML writes them differently)
_UNSAFE = ["\t", "\n", "\r", "\x85", "\u2028", "\u2029", "\ufeff", "\U0001F600", "\x00", "\x7f", "\x1b", "\ufffe"]


def _record_like(text: str, other: str) -> dict:
    return {
        "title": text,
        "slug": "a-b",
        "lang": "fr",
        "date": None,
        "date_source": "unknown",
        "summary": other,
        "entities": {"person": {text: 3, other: 1}, "place": {}, "organization": {"ONU": 2}},
        "mentioned_dates": [{"date": "2020-01-03", "text": text}],
        "tags": [other, text],
        "source": {"path": "seeds/x.txt", "sha256": "ab" * 32, "url": None},
        "cleaning": {"removed": [{"text": text, "rule": "ad-marker"}, {"text": other, "rule": "site:x"}]},
    }


def _pydump(data: dict) -> str:
    return yaml.safe_dump(data, **_DUMP_OPTIONS)


def _cdump(data: dict) -> str:
    return yaml.dump(data, Dumper=yaml.CSafeDumper, **_DUMP_OPTIONS)


def test_libyaml_gives_pyyaml_bytes_on_every_string_it_is_used_for():
    rng = random.Random(2026)
    checked = 0
    for _ in range(3000):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 12)))
        other = "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 200)))
        data = _record_like(text, other)
        if not _c_safe(data):  # a key too long: PyYAML's path, checked below
            data["entities"]["person"] = {text: 3, other[:20] or "x": 1}
        if text == other:
            continue
        assert _c_safe(data)
        assert _cdump(data) == _pydump(data), (text, other)
        assert dump_front_matter(data) == _pydump(data)
        checked += 1
    assert checked > 2700


@pytest.mark.parametrize("char", _UNSAFE)
def test_other_characters_go_through_pyyaml(char):
    data = _record_like(f"Nom {char} Prénom", "résumé")
    assert not _c_safe(data)
    assert dump_front_matter(data) == _pydump(data)


def test_long_values():
    data = _record_like("x" * 100, "mot " * 400)
    data["entities"]["person"] = {"Jean Dupont": 2}
    assert _c_safe(data)
    assert _cdump(data) == _pydump(data) == dump_front_matter(data)


@pytest.mark.parametrize("key", ["x" * 128, "é" * 64, "é" * 127, "x" * 300])
def test_long_keys_go_through_pyyaml(key):
    """PyYAML counts a key's characters, libyaml its bytes, to decide "? key"."""
    data = _record_like(key, "résumé")
    assert not _c_safe(data)
    assert dump_front_matter(data) == _pydump(data)


def test_empty_key_goes_through_pyyaml():
    data = _record_like("", "résumé")
    assert not _c_safe(data)
    assert dump_front_matter(data) == _pydump(data)
