"""The tense of the clause a date word stands in, from simple verb-form cues.

A bare weekday ("samedi") names the nearest such day before publication when
its clause speaks of the past, after it when it speaks of the future. A
full morphological analysis would cost a spaCy pass; the cues below read the
forms that carry tense in news prose (passé composé, imparfait, passé simple,
futur, aller + infinitive, "doit"/"devrait" + infinitive; English -ed, had,
will).

Where the cues are read matters as much as the cues:
- the date's own clause first (between commas, brackets, quotes and the
  words that open a clause), then the rest of its sentence, leaving out
  relative clauses ("l'équipe, qui a battu Nice, reçoit Lyon dimanche": the
  past of "a battu" describes the team, not Sunday);
- être + past participle is a passé composé only for the verbs conjugated
  with être (aller, venir, mourir … — a closed class of French grammar) and
  for pronominal verbs ("s'est écrasé"); otherwise it is a present passive or
  a state ("les cours sont suspendus jeudi", "le match est prévu") and tells
  no past;
- a word that ends like a futur or an imparfait but follows a determiner
  ("les environs", "un souhait") or starts with a capital ("Laura") is a noun.
A clause with no cue is in the present; paragraph_tense then gives the tense
its paragraph is told in (a preview is told in the future, a report in the
past).
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
    rf"(?:(?:pas|déjà|bien|ensuite|aussi|notamment|également|finalement|enfin|"
    r"encore|toujours|jamais|plus|rien|tous|toutes|alors|même|ainsi|vite|"
    r"longtemps|souvent|peut-être|probablement|officiellement|cependant|pourtant|"
    r"néanmoins|donc|{_W}+ment)\s+)*"
)
_PARTICIPLE_FR = (
    _W + r"*(?:é|ée|és|ées|i|ie|is|ies|u|ue|us|ues|it|ite|its|ert|erte|ort|orte|"
    r"int|inte|eint|aint|ous|eu|eue|été)"
)
# avoir + past participle: "a annoncé", "avaient été"
# (and its infinitive: "annonce avoir mené", a past told in the present)
_AVOIR_FR = r"(?:a|ont|avait|avaient|avons|avez|ai|as|eut|eurent|aurait|auraient|avoir)"
# être (its conditional "serait convié" is a present conditional, so not here)
_ETRE_FR = r"(?:est|sont|était|étaient|sommes|êtes|suis|fut|furent)"
_AUX_FR = rf"(?:{_AVOIR_FR}|{_ETRE_FR})"
# the verbs whose passé composé takes être (the closed class of the grammar
# books, with their compounds); every other "est + participle" is a passive
# present or a state
_ETRE_VERBS_FR = (
    r"(?:(?:(?:re)?all|(?:r)?arriv|(?:r)?entr|(?:re)?mont|décéd|(?:re)?tomb|rest|retourn|pass)é"
    r"|(?:re|de|inter|par|sur|con|pro|ad)?venu|(?:re)?descendu|(?:dis|ap)?paru"
    r"|(?:re)?parti|(?:res)?sorti|né|mort)(?:e|s|es)?"
)
# "avoir lieu", "avoir trait", "avoir peur": idioms, not participles
_NOT_PARTICIPLE_FR = r"(?!(?:lieu|trait|peu|priori|recours|besoin|envie|droit)\b)"
_REFLEXIVE_FR = r"(?:s'|se\s+|m'|me\s+|t'|te\s+|nous\s+|vous\s+)"
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

_IMPARFAIT_FR = re.compile(
    rf"(?<!\w)(?!\w*(?:fait|trait|nait|rait|raient|plait)\b){_W}{{2,}}(?:ait|aient)(?!\w)")
_FUTUR_FR = re.compile(rf"(?<![\w-]){_NOT_FUTURE_FR}(?!{_W}*éra\b){_W}+(?:ra|ront|rons)(?!\w)")
# one word read by its ending alone, which a noun may share ("les environs",
# "un souhait"): not a verb after a determiner, nor with a capital (a name)
_ENDING_CUES = frozenset({_IMPARFAIT_FR, _FUTUR_FR})
_DETERMINER_BEFORE = re.compile(
    r"(?<!\w)(?:le|la|les|l'|un|une|des|du|de|d'|au|aux|ce|cet|cette|ces|mon|ma|mes|ton|ta|tes|"
    r"son|sa|ses|notre|nos|votre|vos|leur|leurs|quelques|plusieurs)\s*$", re.IGNORECASE)

_CUES: Mapping[str, tuple[tuple[re.Pattern, Tense], ...]] = MappingProxyType({
    "fr": (
        (re.compile(rf"(?<!\w){_AUX_FR}\s+{_ADVERBS_FR}(?:été\s+)?{_SCHEDULED_FR}(?!\w)"),
         "future"),
        (re.compile(rf"(?<!\w){_AVOIR_FR}\s+{_ADVERBS_FR}{_NOT_PARTICIPLE_FR}{_PARTICIPLE_FR}(?!\w)"), "past"),
        (re.compile(rf"(?<![\w']){_REFLEXIVE_FR}{_ETRE_FR}\s+{_ADVERBS_FR}{_PARTICIPLE_FR}(?!\w)"), "past"),
        (re.compile(rf"(?<!\w)(?:{_ETRE_FR}|être)\s+{_ADVERBS_FR}{_ETRE_VERBS_FR}(?!\w)"), "past"),
        # passé simple of être and avoir ("fut élu", "eut lieu")
        (re.compile(r"(?<!\w)(?:fut|furent|eut|eurent)(?!\w)"), "past"),
        # imparfait, but not the conditional ("devrait") nor present tenses
        # that end alike ("il fait", "il connait")
        (_IMPARFAIT_FR, "past"),
        (re.compile(rf"(?<!\w){_W}+èrent(?!\w)"), "past"),
        (re.compile(r"(?<!\w)(?:hier|avant-hier)(?!\w)"), "past"),
        # the recent past: "vient d'annoncer", "viennent d'être rebaptisés"
        (re.compile(rf"(?<!\w)(?:vient|viennent|venait|venaient)\s+d(?:e\s+|'){_W}+(?:er|ir|re)(?!\w)"),
         "past"),
        (_FUTUR_FR, "future"),
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
        if pattern not in _ENDING_CUES or _verb_like(text, m.start())
    )
    return disjoint(found)


def _verb_like(text: str, at: int) -> bool:
    return text[at].islower() and not _DETERMINER_BEFORE.search(text, max(0, at - 12), at)


def tense_near(
    text: str, cues: tuple[Cue, ...], start: int, end: int, reach: int | None = None
) -> Tense | None:
    """The tense of the clause of text[start:end]: the nearest cue in that
    clause, else the nearest in its sentence outside relative clauses (and
    no farther than reach characters, when given); None when there is none
    (the present tense)."""
    left, right = sentence_bounds(text, start, end)
    clauses = _clauses(text, left, right)
    own = next((c for c in clauses if c[0] <= start < c[1]), (start, end, False))
    first = bisect.bisect_left(cues, left, key=lambda c: c.start)
    in_own: tuple[int, Tense] | None = None
    in_sentence: tuple[int, Tense] | None = None
    for cue in cues[first:]:
        if cue.end > right:
            break
        if cue.start < end and start < cue.end:
            continue  # the date's own words are not its tense
        distance = start - cue.end if cue.end <= start else cue.start - end
        if reach is not None and distance > reach:
            continue
        if own[0] <= cue.start < own[1]:
            if in_own is None or distance < in_own[0]:
                in_own = (distance, cue.tense)
        elif not _in_relative(clauses, cue.start):
            if in_sentence is None or distance < in_sentence[0]:
                in_sentence = (distance, cue.tense)
    best = in_own or in_sentence
    return best[1] if best else None


def paragraph_tense(text: str, cues: tuple[Cue, ...], at: int) -> Tense:
    """The tense a paragraph is told in, for a clause in the present: the
    past when the cues of its other sentences (or, in a paragraph without
    any, the text's) are mostly past, else the future (the present with a day to come is an
    announcement: "le club reçoit Lyon dimanche")."""
    left = text.rfind("\n", 0, at) + 1
    right = text.find("\n", at)
    right = len(text) if right < 0 else right
    # the date's own sentence was read by tense_near: what cues it has are
    # in relative clauses, which tell nothing of the date
    own = sentence_bounds(text, at, at + 1)
    others = [c for c in cues if not own[0] <= c.start < own[1]]
    first = bisect.bisect_left(others, left, key=lambda c: c.start)
    past = future = 0
    for cue in others[first:]:
        if cue.start >= right:
            break
        past += cue.tense == "past"
        future += cue.tense == "future"
    if not past and not future:  # a paragraph all in the present: the whole text's tense
        past = sum(c.tense == "past" for c in others)
        future = len(others) - past
    return "past" if past > future else "future"


# what opens a new clause inside a sentence; the words of the second group
# open a relative clause, which describes a noun and not the sentence's time
_CLAUSE_BREAK = re.compile(
    r"[,()«»\"“”—–]|(?<!\w)(?:(?P<relative>qui|dont|où|lequel|laquelle|lesquels|lesquelles|"
    r"auquel|duquel|who|which|whose|where)|que|qu'|mais|lorsque|lorsqu'|quand|puisque|car|"
    r"tandis|alors|avant|après|but|when|while|after|before|that)(?!\w)",
    re.IGNORECASE,
)


def _clauses(text: str, left: int, right: int) -> list[tuple[int, int, bool]]:
    """The clauses of text[left:right] as (start, end, is_relative)."""
    clauses = []
    start, relative = left, False
    for m in _CLAUSE_BREAK.finditer(text, left, right):
        clauses.append((start, m.start(), relative))
        start, relative = m.start(), bool(m["relative"])
    clauses.append((start, right, relative))
    return clauses


def _in_relative(clauses: list[tuple[int, int, bool]], at: int) -> bool:
    return any(c[0] <= at < c[1] and c[2] for c in clauses)
