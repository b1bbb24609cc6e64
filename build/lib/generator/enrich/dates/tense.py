"""The tense of the verb nearest to a date word, from simple verb-form cues.

A bare weekday ("samedi") names the nearest such day before publication when
its sentence speaks of the past, after it when it speaks of the future. A
full morphological analysis would cost a spaCy pass; the cues below read the
forms that carry tense in news prose (passé composé, imparfait, futur,
aller + infinitive, "doit"/"devrait" + infinitive; English -ed, had, will).
The present tense carries no cue: a date in a present-tense sentence is
ambiguous and is left out.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, Mapping

from generator.enrich.dates.spans import disjoint

Tense = Literal["past", "future"]

_W = r"[^\W\d_]"  # a letter
_ADVERBS_FR = (
    r"(?:(?:pas|déjà|bien|ensuite|aussi|notamment|également|finalement|enfin|"
    r"encore|toujours|jamais|plus|rien|tous|toutes|alors|même|ainsi|vite|"
    r"longtemps|souvent|peut-être|probablement|officiellement)\s+)*"
)
_PARTICIPLE_FR = (
    _W + r"*(?:é|ée|és|ées|i|ie|is|ies|u|ue|us|ues|it|ite|its|ert|erte|ort|orte|"
    r"int|inte|eint|aint|ous|eu|eue|été)"
)
# être/avoir + past participle: "a annoncé", "s'est rendu", "avaient été"
# ("serait convié" is a present conditional, so être's conditional is not here)
_AUX_FR = (
    r"(?:a|ont|avait|avaient|avons|avez|ai|as|eut|eurent|aurait|auraient|"
    r"est|sont|était|étaient|sommes|êtes|suis|fut|furent)"
)
# participles that announce something still to come: "est prévu samedi"
_SCHEDULED_FR = (
    r"(?:prévue?s?|programmée?s?|attendue?s?|convoquée?s?|planifiée?s?|fixée?s?|"
    r"reportée?s?|annoncée?s?\s+pour)"
)
# lower-case nouns that end like a futur ("l'opéra", "la caméra")
_NOT_FUTURE_FR = (
    r"(?!(?:extra|ultra|cobra|mantra|tantra|sutra|sierra|tiara|agora|diaspora|"
    r"mascara|para|contra|hydra|flora|tora|torah|ora|aura\s+de|front|affront)\b)"
)

_CUES: Mapping[str, tuple[tuple[re.Pattern, Tense], ...]] = MappingProxyType({
    "fr": (
        (re.compile(rf"(?<!\w){_AUX_FR}\s+{_ADVERBS_FR}(?:été\s+)?{_SCHEDULED_FR}(?!\w)"),
         "future"),
        (re.compile(rf"(?<!\w){_AUX_FR}\s+{_ADVERBS_FR}{_PARTICIPLE_FR}(?!\w)"), "past"),
        # imparfait, but not the conditional ("devrait") nor present tenses
        # that end alike ("il fait", "il connait")
        (re.compile(rf"(?<!\w)(?!\w*(?:fait|trait|nait|rait|raient|plait)\b){_W}{{2,}}(?:ait|aient)(?!\w)"),
         "past"),
        (re.compile(rf"(?<!\w){_W}+èrent(?!\w)"), "past"),
        (re.compile(r"(?<!\w)(?:hier|avant-hier)(?!\w)"), "past"),
        (re.compile(rf"(?<![\w-]){_NOT_FUTURE_FR}(?!{_W}*éra\b){_W}+(?:ra|ront|rons)(?!\w)"),
         "future"),
        (re.compile(rf"(?<!\w)(?:va|vont|allons|allez|doit|doivent|devrait|devraient|"
                    rf"compte|comptent|pourrait|pourraient)\s+(?:\w+\s+)?{_W}+(?:er|ir|re|oir)(?!\w)"),
         "future"),
        (re.compile(r"(?<!\w)(?:demain|après-demain)(?!\w)"), "future"),
        (re.compile(rf"(?<!\w){_SCHEDULED_FR}(?!\w)"), "future"),
    ),
    "en": (
        (re.compile(r"(?<!\w)(?:will|shall|'ll|’ll|going\s+to|is\s+due\s+to|are\s+due\s+to|"
                    r"scheduled|planned|expected\s+to|next|tomorrow)(?!\w)", re.I), "future"),
        (re.compile(r"(?<!\w)(?:was|were|had|did|last|yesterday|ago)(?!\w)", re.I), "past"),
        (re.compile(r"(?<!\w)[a-z]{2,}ed(?!\w)"), "past"),
        (re.compile(r"(?<!\w)(?:said|told|spoke|went|came|made|took|gave|met|left|won|lost|"
                    r"held|began|fell|rose|saw|found|shot|struck|broke|brought|bought|sent|"
                    r"spent|built|fought|thought|ran|wrote|became|chose|drove|flew|led|paid|"
                    r"sold|stood|threw|wore|kept|felt|got|knew|heard)(?!\w)"), "past"),
    ),
})

_SENTENCE_END = re.compile(r"[.!?;:\n]\s|\n")
# a verb farther than this from its date is not read (and a run-on text
# costs no more than a normal one)
_SENTENCE_REACH = 300


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around text[start:end], by punctuation, cut at
    _SENTENCE_REACH characters on either side."""
    left = max(0, start - _SENTENCE_REACH)
    for m in _SENTENCE_END.finditer(text, left, start):
        left = m.end()
    right = min(len(text), end + _SENTENCE_REACH)
    m = _SENTENCE_END.search(text, end, right)
    return left, (m.start() + 1 if m else right)


@dataclass(frozen=True)
class Cue:
    """A verb form (or "hier", "demain") that tells the tense of its clause."""

    start: int
    end: int
    tense: Tense


def find_cues(text: str, lang: str) -> tuple[Cue, ...]:
    """Every tense cue of the text, in text order; where two overlap, the
    more specific pattern (listed first) wins. () for a language without
    a cue table."""
    found = (
        Cue(m.start(), m.end(), tense)
        for pattern, tense in _CUES.get(lang, ())
        for m in pattern.finditer(text)
    )
    return disjoint(found)


def tense_near(
    text: str, cues: tuple[Cue, ...], start: int, end: int, reach: int | None = None
) -> Tense | None:
    """The tense of the cue nearest to text[start:end] in its sentence
    (and no farther than reach characters, when given); None when the
    sentence has no cue (present tense)."""
    left, right = sentence_bounds(text, start, end)
    first = bisect.bisect_left(cues, left, key=lambda c: c.start)
    best: tuple[int, Tense] | None = None
    for cue in cues[first:]:
        if cue.end > right:
            break
        if cue.start < end and start < cue.end:
            continue  # the date's own words are not its tense
        distance = start - cue.end if cue.end <= start else cue.start - end
        if reach is not None and distance > reach:
            continue
        if best is None or distance < best[0]:
            best = (distance, cue.tense)
    return best[1] if best else None
