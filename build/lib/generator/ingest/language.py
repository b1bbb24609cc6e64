"""Which language an article is written in (py3langid)."""
from __future__ import annotations

_MIN_CHARS = 40  # below this, identification is a guess: trust the hint


def detect_language(text: str, hint: str | None = None, default: str = "und") -> str:
    """ISO 639-1 code of `text`; `hint` (e.g. an HTML lang) wins on very short texts."""
    sample = " ".join(text[:3000].split())[:1500]  # enough words to tell; longer costs time
    if len(sample) < _MIN_CHARS:
        return hint or default
    import py3langid

    lang, _ = py3langid.classify(sample)
    return lang
