"""The only URL scheme of a Gazette site, and slugify.

Every URL here is a site path relative to the site root, without a leading
slash ("articles/<slug>/"); templates turn it into a relative link from the
page being rendered, so the site works under any sub-path.
"""
from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")
# letters that NFKD does not decompose into ASCII
_TRANSLIT = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O",
                           "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "þ": "th", "ð": "d", "ı": "i"})
MAX_SLUG = 80


def slugify(text: str, fallback: str = "article", max_length: int = MAX_SLUG) -> str:
    """Readable ASCII words joined by '-': never empty, never a path."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT)).encode("ascii", "ignore").decode()
    slug = _NON_WORD.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        cut = slug[:max_length + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut[: max_length] else slug[:max_length]
        slug = slug.strip("-")
    return slug or fallback
