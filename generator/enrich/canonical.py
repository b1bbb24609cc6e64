"""Raw entity mentions → canonical, typed, counted tags without noise.

Pure functions; the words of the article's language come in the Lexicon
(language.py), the known places in `places` (gazetteer.py). Every rule is
measured by bench/eval_entities.py --ablate on text it was not tuned on.
Per article (`article_tags`):
1. add the known places named inside other spans ("Jeux olympiques de
   Rio"); give a span the head noun written before it ("ministère de
   l’Intérieur"); split a span that crosses a line break (its label then
   counts half);
2. clean each mention's words: elisions ("l’", "qu’"), titles ("président",
   "M."), possessives, lower-case lead words but a head noun, quotes and
   punctuation around it;
3. look the name up in the alias tables, which fix its name and its kind;
4. drop what is not a name (checked only when no alias knows it): one
   letter (but road codes), no capital, stop words only, fragments, titles
   alone, names of peoples ("Français"), known names joined by hyphens; and,
   for a name no gazetteer place protects, capitalised common words (the
   model's own word lists, where the language says they are noise) and a
   lone word that only opens sentences or headings;
5. give the kind: the alias's, else the words' own cue (an acronym is an
   organisation, "Université …" one too, "Lac …" a place, a title before a
   name makes a person; a group — "les Gilets jaunes" — is no person), else
   the model's labels by majority, MISC (events, works) included: a name
   mostly called MISC is no tag;
6. group the mentions of one name (case- and accent-insensitive), pick the
   best spelling, join a surname to the one full name the article has,
   order by salience (mentions, then first position).
Across the articles of a batch (`finish_batch`): a name takes the kind most
of its mentions get, a surname alone joins the one full name the batch or
the archive (the people of the records already in content/) has, and a
one-word person that nothing vouches for stays, unless a known place has
its name.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import Any, Iterable, Protocol, Sequence

from generator.enrich.aliases import AliasTable, match_key, typographic
from generator.enrich.entities import Mention
from generator.enrich.language import LanguageWords, language_words
from generator.model import Entities, EntityTag

# Bump when a rule below changes what tags come out: it is part of the
# enrichment cache key, so old results are recomputed.
RULES_VERSION = "4"

KIND_OF_LABEL = {"PER": "person", "PERSON": "person", "LOC": "place", "GPE": "place",
                 "ORG": "organization"}

# Elided articles and pronouns that the model glues to a name ("l’Irak",
# "qu’Obama") or returns alone ("C’").
_ELISION = re.compile(r"^(?:l|d|qu|c|j|n|s|m|t|jusqu|lorsqu|puisqu|quoiqu|presqu)’\s*", re.I)

# The words of the article's language: titles, particles, head nouns (language.py)
FRENCH = language_words("fr")

_OPENERS = "«“\"'‘([{-–—•*"
_CLOSERS = "»”\"'’)]}"
_MAX_WORDS = 7  # longer spans are run-ons, not names


@dataclass(frozen=True)
class Tag:
    """A canonical entity of one article, with what ordering and merging need."""

    kind: str
    name: str
    mentions: int
    first: int  # position of its first mention
    fixed: bool = False  # named by an alias table: never renamed by merging
    titled: bool = False  # a title came before it ("le président Trump")


def is_sentence_initial(text: str, start: int) -> bool:
    """True when the word at `start` opens the text, a line or a sentence."""
    i = start - 1
    while i >= 0 and text[i] in " \t\u00a0" + _OPENERS:
        i -= 1
    return i < 0 or text[i] in "\n.!?…"


def clean_words(words: str, initial: bool, label: str, language: LanguageWords = FRENCH) -> str:
    """The name inside a mention: no elision, title, lower-case lead or punctuation."""
    name = typographic(re.sub(r"\s+", " ", words)).strip()
    for _ in range(6):  # each pass peels one layer; names are short
        before = name
        name = name.strip(_OPENERS + _CLOSERS + " ,;:!?")
        if name.endswith(".") and not re.search(r"(?:\b\w|\.\w)\.$", name):
            name = name[:-1]  # sentence full stop, not an initial or acronym
        for ending in language.possessive_endings:  # "Hong Kong’s"
            if name.endswith(ending) and len(name) > len(ending) + 1:
                name = name[:-len(ending)]
                break
        m = _ELISION.match(name)
        if m and (name[0].islower() or initial):  # "L’Oréal" mid-sentence is a name
            name = name[m.end():]
        lowered = name.casefold()
        for title in language.titles:
            if lowered.startswith(title + " ") or (title.endswith(".") and lowered.startswith(title) and len(name) > len(title)):
                name = name[len(title):].lstrip()
                break
        first, _, rest = name.partition(" ")
        if rest and first[:1].islower() and not (label == "PER" and _particle_of_name(first, rest, language)) \
                and not _head_of_name(first, rest, language):
            name = rest  # "ancien Donald Trump", "la France"
        if label == "PER":  # "Bernard Cazeneuve jusqu", "Edward Theunset le cycliste"; not "Giscard d’Estaing"
            shorter = re.sub(r"(?:\s+[a-zà-ÿ][a-zà-ÿ’-]*(?<!’))+$", "", name)
            name = shorter if " " in shorter else name
        if name == before:
            break
    return name


def _particle_of_name(word: str, rest: str, language: LanguageWords) -> bool:
    """"de Gaulle", "al-Assad": a lower-case particle right before a capitalised name."""
    head, _, tail = word.partition("-")
    particles = language.particles
    return (word in particles and rest[:1].isupper()) or (head in particles and tail[:1].isupper())


_OF = re.compile(r"^(?:de la |de l’|du |des |de |d’)?(?=[A-ZÀ-Ý])")


def _head_of_name(head: str, rest: str, language: LanguageWords) -> bool:
    """"ministère" in "ministère de l’Intérieur": a head noun the name starts with."""
    return head.casefold() in language.naming_heads and bool(_OF.match(rest))


def _with_head_noun(text: str, mention: Mention, language: LanguageWords) -> Mention:
    """The model's "Intérieur" inside "ministère de l’Intérieur": the name
    begins with the head noun written before it."""
    if mention.label == "PER":
        return mention
    before = typographic(text[max(0, mention.start - 60):mention.start])
    found = re.search(r"(?:^|[^\w’])([a-zà-ÿ]+) (de la |de l’|du |des |de |d’)?$", before)
    if not found or found.group(1) not in language.naming_heads or not _noun_place(before[:found.start(1)], language):
        return mention
    start = mention.start - (len(before) - found.start(1))
    return Mention(text[start:mention.end], mention.label, start, mention.end)


def _noun_place(before: str, language: LanguageWords) -> bool:
    """What comes before a word lets it be a noun: a determiner, a preposition,
    a number or punctuation ("la rue", "12 rue", "à la gare"), not a verb's
    auxiliary ("est parti de Tours")."""
    last = re.search(r"([\w’]+)\s*$", before)
    if last is None:
        return True  # the start of the text, or punctuation
    word = last.group(1).casefold()
    return word.isdigit() or word in language.determiners or word in language.prepositions or word.endswith("’")


def is_title(name: str, language: LanguageWords = FRENCH) -> bool:
    """"Président", "Premier ministre": a function alone, not a name."""
    return name.casefold() in language.titles


def _is_fragment(name: str) -> bool:
    if "\n" in name or len(name.split()) > _MAX_WORDS:
        return True
    if re.search(r"\s[-–—:/|]\s|\s:|:\s", name):
        return True  # "Angleterre - Russie", "Tour de France 2016 : Tom Dumoulin"
    last = name.split()[-1]
    if len(name.split()) > 1 and (last[0].islower() and len(last) <= 3 or last.endswith("’")):
        return True  # cut short: "Cour d’appel de", "Défense de la"
    pairs = ("()", "[]", "«»", "“”")
    return any(name.count(a) != name.count(b) for a, b in pairs) or name.count('"') % 2 == 1


def _not_a_name(name: str, label: str, stop_words: frozenset[str], language: LanguageWords) -> bool:
    """Noise a reader would not call a name (checked only when no alias knows it)."""
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 2 and not _CODE.fullmatch(name):
        return True  # "C", "«", "2016", one-letter tokens; not "A7"
    first, _, rest = name.partition(" ")
    if not first[0].isupper() and not first[0].isdigit() \
            and not (label == "PER" and _particle_of_name(first, rest, language)) and not _head_of_name(first, rest, language):
        return True  # "pro-Iran", "iran" unless an alias restores it
    if is_title(name, language):
        return True
    words = re.findall(r"\w+", name.casefold())
    if all(w in stop_words for w in words):
        return True
    return _is_fragment(name)


# A road or line code: one to three capitals and a number ("A7", "N118", "RN 7").
_CODE = re.compile(r"[A-Z]{1,3} ?\d{1,4}")


def _relation(name: str, aliases: AliasTable) -> bool:
    """Known names joined by hyphens name a link between them, not a thing."""
    parts = name.split("-")
    return len(parts) > 1 and sum(aliases.lookup(p) is not None for p in parts) >= 2


def _title_before(text: str, start: int, language: LanguageWords) -> bool:
    """"le président Trump", "M. Soleimani": a title right before the name."""
    before = typographic(text[max(0, start - 40):start]).casefold().rstrip(" \u00a0")
    return any(before.endswith(title) and (len(before) == len(title) or not before[-len(title) - 1].isalnum())
               for title in language.titles)


def _title_inside(words: str, name: str, language: LanguageWords) -> bool:
    """The mention itself began with a title that cleaning removed ("général Soleimani")."""
    head = typographic(words).casefold().strip()
    return name.casefold() != head and any(head.startswith(t + " ") or head.startswith(t) and t.endswith(".")
                                           for t in language.titles)


def _kind_cue(name: str, titled: bool, label: str, language: LanguageWords) -> str | None:
    """The kind the words themselves give, over the model's label."""
    if re.fullmatch(r"[A-Z][A-Z0-9&.-]+", name) and not _CODE.fullmatch(name) and label not in ("LOC", "GPE"):
        return "organization"  # acronyms name bodies; place acronyms (USA, RDC) are aliases
    words = name.split()
    if len(words) > 1:
        head = words[0].casefold()
        if head in language.organization_heads:
            return "organization"
        if head in language.place_heads:
            return "place"
    return "person" if titled else None


# The model's MISC label (events, works, products) counts in a name's kind
# vote: a name it mostly calls MISC ("Ironman", "Tour de France") is no tag.
_OTHER = "other"

_PLURAL_DETERMINER_BEFORE = re.compile(r"(?:^|\W)(?:les|des|aux)\s+$", re.I)
_DETERMINER_OR_PLURAL_BEFORE = re.compile(r"(?:^|\W)(?:le|la|les|des|du|aux|l’)\s*$", re.I)


_INNER_PARTICLES = frozenset("la le du des del y e".split())  # "Denys de la Patellière"


def _person_shaped(name: str, language: LanguageWords) -> bool:
    """Every word of a person's name is capitalised, or a particle ("de",
    "d’Estaing", "al-Assad"): "Gilets jaunes" is not a person's name."""
    words = name.split()
    return all(w[:1].isupper() or w[:1].isdigit() or w in language.particles or w in _INNER_PARTICLES
               or re.match(r"[a-z]{1,3}’[A-ZÀ-Ý]", w) or _particle_of_name(w, "X", language) for w in words)


def _people_or_group(name: str, text: str, start: int, language: LanguageWords) -> str | None:
    """A PER span that is a group: "les Gilets jaunes", "des Bleus" name a
    movement or a team (an organisation); lower-case words without a
    determiner are no name at all."""
    before = typographic(text[max(0, start - 8):start])
    if not _person_shaped(name, language):
        return "organization" if _DETERMINER_OR_PLURAL_BEFORE.search(before) else None
    return "organization" if _PLURAL_DETERMINER_BEFORE.search(before) else "person"


class Places(Protocol):
    """The gazetteer (gazetteer.py), as the rules use it."""

    def lookup(self, name: str) -> Any: ...


def _known_place(name: str, label: str, places: Places | None, lexicon: Lexicon) -> bool:
    """A place the gazetteer knows, that the model calls a place: no noise rule
    removes it ("Saran", "Haute-Loire", "Tours"). A name that is also a common
    word is protected only when the place is a country or a city of 50,000
    people or more: "Nord" and "Sud" also name regions. The text's spelling
    is kept: the gazetteer's own names are often in another language."""
    if places is None or label not in ("LOC", "GPE"):
        return False
    place = places.lookup(name)
    if place is None:
        return False
    if not _inflected_common_word(name.casefold(), lexicon.common_words):
        return True
    return place.kind in ("country", "continent") or (place.population or 0) >= 50_000


# a place inside the name of an event, a body or a work: "Jeux olympiques de
# Rio", "Championnat de France", "université de Kyoto"
_OF_PLACE = re.compile(r"(?:\bde la |\bde l’|\bdu |\bdes |\bde |\bd’|\bof (?:the )?)([A-ZÀ-Ý][\w’-]*(?: [A-ZÀ-Ý][\w’-]*)*)")


def _nested_places(mentions: Sequence[Mention], places: Places) -> list[Mention]:
    """The known places named inside other spans, as place mentions of their own."""
    nested = []
    for mention in mentions:
        if mention.label in ("LOC", "GPE", "PER", "PERSON") or " " not in mention.text:
            continue
        for found in _OF_PLACE.finditer(typographic(mention.text)):
            words = found.group(1).split(" ")
            for end in range(len(words), 0, -1):  # the longest known run of words
                candidate = " ".join(words[:end])
                if places.lookup(candidate) is not None:
                    start = mention.start + found.start(1)
                    nested.append(Mention(candidate, "LOC", start, start + len(candidate)))
                    break
    return nested


def _common_word_heading(name: str, starts: list[int], text: str) -> bool:
    """A lone capitalised word that only ever opens a sentence or a heading, and
    that the same text also uses in lower case ("Lutte contre l’EI" … "la lutte")."""
    if " " in name or "-" in name or not name[:1].isupper() or name.isupper():
        return False
    if not all(is_sentence_initial(text, s) for s in starts):
        return False
    lower = name[0].lower() + name[1:]
    if re.search(rf"(?<!\w){re.escape(lower)}(?!\w)", text):
        return True
    # never written mid-sentence and alone on its line: a heading or a label
    return all(_alone_on_line(text, s, len(name)) for s in starts)


def _alone_on_line(text: str, start: int, length: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    return line.strip(" .,;:!?") == text[start:start + length]


def _within_lines(mentions: Iterable[Mention]) -> Iterable[tuple[Mention, float]]:
    """A span across a line break is two things (a heading and a sentence): split
    it. Each piece comes with the weight of its label in the kind vote: the
    model labelled the whole, so a piece's label counts half."""
    for mention in mentions:
        offset = mention.start
        lines = mention.text.split("\n")
        for piece in lines:
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                yield (Mention(piece.strip(), mention.label, offset + lead, offset + lead + len(piece.strip())),
                       1.0 if len(lines) == 1 else 0.5)
            offset += len(piece) + 1


def _best_spelling(forms: Counter) -> str:
    """Most used form; on a tie the one with more accents and capitals ("État" over "Etat")."""
    return max(forms, key=lambda f: (forms[f], sum(not c.isascii() for c in f), sum(c.isupper() for c in f)))


@dataclass(frozen=True)
class Lexicon:
    """What the language model knows about ordinary words."""

    stop_words: frozenset[str] = frozenset()
    common_words: frozenset[str] = frozenset()  # lower-case base forms
    words: LanguageWords = FRENCH  # titles, particles, head nouns of the language


def _capitalised_common_word(name: str, kinds: Counter, starts: list[int], text: str,
                             lexicon: Lexicon) -> bool:
    """"État", "Nord", "Localisation": an ordinary word written with a capital.
    Kept when the model calls it an organisation and a determiner introduces
    it: French capitalises the common noun that names an institution ("le
    Parlement", "ministère de l’Intérieur")."""
    if not lexicon.words.capitalised_common_words_are_noise:
        return False
    if " " in name or name.isupper() or not _inflected_common_word(name.casefold(), lexicon.common_words):
        return False
    if kinds.get("organization", 0) * 2 > sum(kinds.values()):
        return not any(_DETERMINER_BEFORE.search(typographic(text[max(0, s - 12):s])) for s in starts)
    return True


_DETERMINER_BEFORE = re.compile(r"(?:^|\W)(?:le|la|les|l’|du|des|au|aux)\s*$", re.I)


def _inflected_common_word(word: str, common: frozenset[str]) -> bool:
    """The word, or the base form a regular French plural, feminine or past
    participle comes from, is a common word ("Manifestants", "Vérifiée")."""
    if word in common:
        return True
    base = re.sub(r"(?:e?s|e)$", "", word)
    if base != word and base in common:
        return True
    return base.endswith("é") and base[:-1] + "er" in common


def article_tags(text: str, mentions: Iterable[Mention], aliases: AliasTable,
                 lexicon: Lexicon, places: Places | None = None) -> tuple[Tag, ...]:
    """The canonical tags of one analysed text, most salient first. `places`:
    the gazetteer in the site's language, which names known places and
    protects them from the noise rules."""
    groups: dict[str, dict] = {}
    language = lexicon.words
    mentions = list(mentions)
    if places is not None:
        mentions += _nested_places(mentions, places)
    for mention, weight in _within_lines(mentions):
        mention = _with_head_noun(text, mention, language)
        initial = is_sentence_initial(text, mention.start)
        name = clean_words(mention.text, initial, mention.label, language)
        titled = mention.label != "ORG" and (_title_before(text, mention.start, language)
                                             or _title_inside(mention.text, name, language))
        if not name:
            continue
        alias = aliases.lookup(name) or aliases.lookup(mention.text.strip())
        if alias is None and initial and " " in name:
            # a capitalised determiner opening the sentence: "Votre adresse", "Le Parlement"
            head, rest = name.split(" ", 1)
            if head.casefold() in lexicon.stop_words:
                name = rest
                alias = aliases.lookup(name)
        known = False
        if alias is None and _relation(name, aliases):
            continue  # "l’axe Téhéran-Bagdad-Damas", "l’accord Canada-UE"
        if alias is None and aliases.is_demonym(name.split(" ")[0]):
            # "les Français" is no place; "l’Allemande Renata Bucher" is Renata Bucher
            name = name.partition(" ")[2]
            alias = aliases.lookup(name) if name else None
            if not name:
                continue
        if aliases.is_blocked(name) or (alias and aliases.is_blocked(alias.name)):
            continue
        if alias:
            kind, name = alias.kind, alias.name
        else:
            known = _known_place(name, mention.label, places, lexicon)
            kind = KIND_OF_LABEL.get(mention.label, _OTHER if mention.label == "MISC" else None)
            if kind is None or _not_a_name(name, mention.label, lexicon.stop_words, language):
                continue
            kind = kind if kind == _OTHER else _kind_cue(name, titled, mention.label, language) or kind
            if kind == "person":
                kind = _people_or_group(name, text, mention.start, language)
                if kind is None:
                    continue
        group = groups.setdefault(match_key(name), {"forms": Counter(), "kinds": Counter(), "starts": [],
                                                    "fixed": alias is not None, "titled": False, "known": False})
        group["known"] = group["known"] or known
        group["forms"][name] += 1
        group["kinds"][kind] += weight
        group["starts"].append(mention.start)
        group["fixed"] = group["fixed"] or alias is not None
        group["titled"] = group["titled"] or titled
    tags = []
    for group in groups.values():
        name = _best_spelling(group["forms"])
        kinds = group["kinds"]
        if not group["fixed"] and not group["known"] and (_common_word_heading(name, group["starts"], text)
                                   or _capitalised_common_word(name, kinds, group["starts"], text, lexicon)):
            continue
        other = kinds.pop(_OTHER, 0)
        if not kinds or other > sum(kinds.values()):
            continue  # the model mostly calls it an event, a work or a product
        kind = max(kinds, key=kinds.get)  # on a tie, the kind seen first
        tags.append(Tag(kind, name, len(group["starts"]), min(group["starts"]), group["fixed"], group["titled"]))
    return _ordered(join_surnames(tags))


def _words(name: str) -> tuple[str, ...]:
    return tuple(match_key(name).split())


def _by_last_word(people: Iterable[Tag]) -> dict[str, list[tuple[tuple[str, ...], Tag]]]:
    """Person names indexed by their last word, so that finding a full name is a lookup."""
    index: dict[str, list[tuple[tuple[str, ...], Tag]]] = defaultdict(list)
    for person in people:
        words = _words(person.name)
        if words:
            index[words[-1]].append((words, person))
    return index


def _full_name_for(tag: Tag, people: dict[str, list[tuple[tuple[str, ...], Tag]]]) -> Tag | None:
    """The one longer person name that ends with this tag's words, if exactly one."""
    words = _words(tag.name)
    if not words:
        return None
    found = [p for full, p in people.get(words[-1], ()) if len(full) > len(words) and full[-len(words):] == words]
    return found[0] if len({p.name for p in found}) == 1 else None


def join_surnames(tags: Sequence[Tag]) -> list[Tag]:
    """"Trump" joins "Donald Trump" when the article names him in full."""
    people = _by_last_word(t for t in tags if t.kind == "person")
    joined: dict[tuple[str, str], Tag] = {(t.kind, t.name): t for t in tags}
    for tag in tags:
        if tag.fixed:
            continue
        full = _full_name_for(tag, people)
        if full is None or (full.kind, full.name) not in joined:
            continue
        target = joined[(full.kind, full.name)]
        joined[(full.kind, full.name)] = replace(target, mentions=target.mentions + tag.mentions,
                                                 first=min(target.first, tag.first),
                                                 titled=target.titled or tag.titled)
        del joined[(tag.kind, tag.name)]
    return list(joined.values())


def merge_across(articles: Sequence[Sequence[Tag]], known: Iterable[str] = ()) -> list[tuple[Tag, ...]]:
    """What the batch as a whole says about a name (see vote_kinds, join_across);
    `known`: the people the archive already names."""
    return join_across(vote_kinds(articles), known)


def vote_kinds(articles: Sequence[Sequence[Tag]]) -> list[tuple[Tag, ...]]:
    """A name's kind is the one most of its mentions get across the batch
    (the model calls "Katie Zaferes" a place once and a person five times)."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for tags in articles:
        for tag in tags:
            if not tag.fixed:
                votes[match_key(tag.name)][tag.kind] += tag.mentions
    return [_merged(_majority_kind(tag, votes) for tag in tags) for tags in articles]


def join_across(articles: Sequence[Sequence[Tag]], known: Iterable[str] = ()) -> list[tuple[Tag, ...]]:
    """A surname alone joins the one full name other articles of the batch, or
    the people `known` from the archive, give it; two full names with that
    surname leave it alone."""
    full_names = {name: Tag("person", name, 0, 0) for name in known if " " in name.strip()}
    full_names.update({t.name: t for tags in articles for t in tags if t.kind == "person" and " " in t.name})
    people = _by_last_word(full_names.values())
    out = []
    for tags in articles:
        renamed = []
        for tag in tags:
            full = None
            if tag.kind == "person" and not tag.fixed and " " not in tag.name:
                full = _full_name_for(tag, people)
            renamed.append(replace(tag, name=full.name) if full else tag)
        out.append(_merged(renamed))
    return out


def _merged(tags: Iterable[Tag]) -> tuple[Tag, ...]:
    """One tag per (kind, name): mentions added up, the first position kept."""
    merged: dict[tuple[str, str], Tag] = {}
    for tag in tags:
        key = (tag.kind, tag.name)
        if key in merged:
            old = merged[key]
            tag = replace(old, mentions=old.mentions + tag.mentions, first=min(old.first, tag.first),
                          titled=old.titled or tag.titled, fixed=old.fixed or tag.fixed)
        merged[key] = tag
    return _ordered(merged.values())


def finish_batch(articles: Sequence[Sequence[Tag]], known: Iterable[str] = (),
                 places: Places | None = None) -> list[tuple[Tag, ...]]:
    """What a batch's articles are finally tagged with: merged across the batch
    (`merge_across`), then without the lone surnames something contradicts."""
    return [without_lone_surnames(tags, places) for tags in merge_across(articles, known)]


def _lone_surname(tag: Tag) -> bool:
    return tag.kind == "person" and not tag.fixed and not tag.titled and " " not in tag.name


def without_lone_surnames(tags: Iterable[Tag], places: Places | None = None) -> tuple[Tag, ...]:
    """A one-word person that no full name (article or batch), title or alias
    vouches for stays a person unless a known place has that name: "Brownlee"
    stays, "Bordeaux" said of a man goes."""
    return tuple(t for t in tags if not (_lone_surname(t) and _contradicted(t.name, places)))


def _contradicted(name: str, places: Places | None) -> bool:
    return places is not None and places.lookup(name) is not None


def _majority_kind(tag: Tag, votes: dict[str, Counter]) -> Tag:
    if tag.fixed:
        return tag
    counts = votes[match_key(tag.name)]
    best = max(counts, key=lambda k: (counts[k], k == tag.kind))
    return tag if best == tag.kind else replace(tag, kind=best)


def _ordered(tags: Iterable[Tag]) -> tuple[Tag, ...]:
    return tuple(sorted(tags, key=lambda t: (-t.mentions, t.first, t.name)))


def to_entities(tags: Iterable[Tag]) -> Entities:
    by_kind: dict[str, list[EntityTag]] = defaultdict(list)
    for tag in _ordered(tags):
        by_kind[tag.kind].append(EntityTag(tag.name, tag.mentions))
    return Entities(**{kind: tuple(items) for kind, items in by_kind.items()})
