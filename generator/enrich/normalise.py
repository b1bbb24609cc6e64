"""The text as names are read and compared, apart from the text as written.

Scraped text carries characters a reader never sees or reads as another:
soft hyphens and zero-width characters inside words ("Ma\u00adcron"),
no-break and narrow spaces between them, an apostrophe typed as a modifier
letter, a backtick or an acute accent ("l`Élysée"). Left in, they split one
name into two tags and two match keys. The body of a record keeps them as
the author wrote them; `comparable` gives the view that the NLP model reads
and that match keys (aliases.match_key) are made from.
"""
from __future__ import annotations

import regex

# Unicode's own class of characters that are not displayed: soft hyphen,
# zero-width space, joiners, word joiner, byte-order mark, direction marks…
_INVISIBLE = regex.compile(r"\p{Default_Ignorable_Code_Point}")
# a space separator other than the space (no-break, narrow no-break, figure,
# thin, em…) between two visible characters, where it would split a name;
# runs of spaces are cleaning's business (clean.collapse_spaces)
_SPACE = regex.compile(r"(?<=\S)(?! )\p{Zs}(?=\S)")
_LINE_BREAK = regex.compile(r"[\u2028\u2029\x85]")
# an apostrophe-like sign between two letters is an apostrophe ("l`Élysée",
# "Dʼartagnan"); elsewhere ‘ is an opening quote and stays one
_APOSTROPHE_IN_WORD = regex.compile(r"(?<=\p{L})[ʼ‘`´′](?=\p{L})")


def comparable(text: str) -> str:
    """`text` without invisible characters, with the plain space between
    words and the typographic apostrophe inside words."""
    text = _INVISIBLE.sub("", text)
    text = _SPACE.sub(" ", text)
    text = _LINE_BREAK.sub("\n", text)
    return _APOSTROPHE_IN_WORD.sub("’", text)
