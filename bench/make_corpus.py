"""A deterministic synthetic archive of French news articles, for benchmarks.

    python bench/make_corpus.py N OUT_DIR [--seed S] [--formats gazette,hugo,pelican,seeds]

writes the same N articles four ways:

  OUT/gazette/   site.toml + content/*.md: Gazette records, entities already in
                 the front matter, so `gazette build` is measured without NLP
  OUT/hugo/      hugo.toml + content/articles/*.md + themes/gazette-bench/
                 (taxonomies people/places/organizations, years/months/days)
  OUT/pelican/   content/*.md with Pelican metadata (tags = entities);
                 settings in bench/pelican/pelicanconf.py
  OUT/seeds/     raw .txt seeds (title line, paragraphs, boilerplate lines)
                 for the ingest benchmark

Articles are 300–600 words of French-looking sentences built from templates
and a word list (inflected forms, so stemming has work to do), dated over ten
years, each tagged with 3–12 entities drawn with a Zipf-like law from a few
thousand persons, places and organisations. Article i depends only on
(seed, i) and the name pool only on seed, so the output is the same bytes on
every run and every machine.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import random
import shutil
import sys
import time
from bisect import bisect_left
from dataclasses import dataclass, replace
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.model import ENTITY_KINDS, Entities, EntityTag, MentionedDate, Record, Removal
from generator.records import record_to_text
from generator.urls import slugify

BENCH_DIR = Path(__file__).resolve().parent
FORMATS = ("gazette", "hugo", "pelican", "seeds")
FIRST_DAY = dt.date(2015, 1, 1)
DAYS = (dt.date(2024, 12, 31) - FIRST_DAY).days + 1  # ten years
MIN_WORDS, MAX_WORDS = 300, 600
HUGO_SECTIONS = {"person": "people", "place": "places", "organization": "organizations"}

# ------------------------------------------------------------------ words

_w = str.split
FIRST_NAMES = _w("""Jean Marie Pierre Sophie Michel Nathalie Philippe Isabelle Alain Catherine Nicolas
Christine Patrick Sylvie François Valérie Laurent Sandrine Éric Céline Olivier Stéphanie Julien Aurélie
Thomas Camille Antoine Émilie Hugo Léa Mathieu Julie Sébastien Claire Guillaume Hélène Vincent Anne
Christophe Élodie Benoît Laure Frédéric Agnès Thierry Florence Bruno Véronique Didier Martine Yves
Brigitte Bernard Monique Gérard Françoise Jacques Chantal Daniel Nadia Karim Samira Mehdi Fatima Yacine
Inès Rachid Leïla Omar Amina Mamadou Aïssatou Moussa Fatou Ibrahim Aminata Luc Marion Damien Pauline
Arnaud Manon Romain Chloé Maxime Sarah Adrien Lucie Quentin Justine Cédric Margaux Jérôme Anaïs Xavier
Delphine Rémi Gaëlle Loïc Solène Yann Morgane Gaël Maëlle Hervé Josiane Régis Odile Serge Mireille""")
LAST_NAMES = _w("""Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent
Lefèvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefebvre Mercier Dupont
Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc Guérin Muller Henry Roussel Nicolas
Perrin Morin Mathieu Clément Gauthier Dumont Lopez Fontaine Chevalier Robin Masson Sanchez Gérard Nguyen
Boyer Denis Lemaire Duval Joly Gautier Roger Roche Roy Noël Meyer Lucas Meunier Jean Pérez Marchand
Dufour Blanchard Marie Barbier Brun Dumas Brunet Schmitt Leroux Colin Fernandez Pierre Renard Arnaud
Rolland Caron Aubert Giraud Leclerc Vidal Bourgeois Renaud Lemoine Picard Gaillard Philippe Leclercq
Lacroix Fabre Dupuis Olivier Rodriguez Da-Silva Hubert Louis Charles Guillot Rivière Le-Gall Guillaume
Adam Rey Moulin Gonzalez Berger Lecomte Ménard Fleury Deschamps Carpentier Julien Benoît Paris Maillard
Marchal Aubry Vasseur Le-Roux Renault Jacquet Collet Prévost Poirier Charpentier Royer Huet Baron Dupuy
Pons Paul Laine Carré Breton Rémy Schneider Perrot Guyot Barre Marty Cousin Benali Haddad Diallo Traoré
Keita Ouédraogo Mansouri Cherif Boukhari Kaddour Hamidi""")
CITIES = _w("""Paris Marseille Lyon Toulouse Nice Nantes Montpellier Strasbourg Bordeaux Lille Rennes
Reims Toulon Saint-Étienne Le-Havre Grenoble Dijon Angers Nîmes Villeurbanne Clermont-Ferrand Le-Mans
Aix-en-Provence Brest Tours Amiens Limoges Annecy Perpignan Boulogne-Billancourt Metz Besançon Orléans
Rouen Mulhouse Caen Nancy Argenteuil Montreuil Roubaix Tourcoing Avignon Poitiers Créteil Dunkerque
Pau Versailles Colombes Aubervilliers Courbevoie Cherbourg Calais Béziers Bourges Cannes Ajaccio Bastia
Valence Quimper Lorient Vannes Saint-Malo Laval Colmar Troyes Chambéry La-Rochelle Niort Angoulême
Périgueux Bayonne Biarritz Tarbes Albi Rodez Carcassonne Narbonne Sète Arles Gap Digne Belfort
Chartres Évreux Beauvais Compiègne Soissons Charleville-Mézières Épinal Verdun Auxerre Nevers Mâcon
Bourg-en-Bresse Vichy Moulins Aurillac Le-Puy-en-Velay Mende Cahors Agen Mont-de-Marsan Dax Lourdes
Foix Auch Montauban Châteauroux Blois Vendôme Saumur Cholet Lannion Morlaix Dinan Granville Alençon""")
COUNTRIES = _w("""France Allemagne Espagne Italie Belgique Suisse Portugal Royaume-Uni Irlande
Pays-Bas Pologne Ukraine Russie Grèce Turquie Maroc Algérie Tunisie Égypte Sénégal Mali Niger Tchad
Côte-d'Ivoire Cameroun Nigeria Kenya Éthiopie Afrique-du-Sud Madagascar Liban Syrie Irak Iran Israël
Jordanie Arabie-saoudite Qatar Inde Pakistan Chine Japon Corée-du-Sud Viêt-nam Indonésie Australie
Canada États-Unis Mexique Brésil Argentine Chili Colombie Pérou Venezuela Haïti Cuba Québec""")
REGIONS = _w("""Bretagne Normandie Occitanie Alsace Lorraine Provence Corse Auvergne Bourgogne
Champagne Picardie Aquitaine Limousin Savoie Guadeloupe Martinique Guyane La-Réunion Mayotte
Île-de-France Hauts-de-France Grand-Est Pays-de-la-Loire Centre-Val-de-Loire Nouvelle-Aquitaine""")
RIVERS = _w("Seine Loire Rhône Garonne Marne Oise Saône Dordogne Meuse Moselle Lot Tarn Vienne Cher Indre")
ORG_PATTERNS = (
    "Ministère de {domain}", "Agence nationale de {domain}", "Conseil régional de {region}",
    "Mairie de {city}", "Université de {city}", "Préfecture de {city}", "Tribunal judiciaire de {city}",
    "CHU de {city}", "Groupe {last}", "{last} Industries", "Fondation {first} {last}",
    "Syndicat national de {domain}", "Fédération française de {sport}", "Observatoire de {domain}",
    "Chambre de commerce de {city}", "Association {first} {last}", "Banque {last}", "Cabinet {last} et associés",
)
DOMAINS = _w("""l'Éducation la-Santé l'Agriculture la-Culture l'Intérieur l'Économie la-Justice
l'Environnement l'Énergie l'Industrie la-Recherche l'Emploi la-Jeunesse la-Mer la-Forêt l'Eau
l'Habitat la-Sécurité-routière l'Aviation-civile la-Pêche""")
SPORTS = _w("football rugby handball cyclisme athlétisme natation tennis voile judo basket-ball")

NOUNS_M = _w("""gouvernement projet budget rapport maire président conseil accord débat chantier
marché syndicat député tribunal procès hôpital quartier secteur programme plan dispositif réseau
scrutin vote collège lycée port aéroport centre festival musée bilan chiffre taux incendie orage
investissement partenariat contrat salaire emploi logement transport service comité groupe parti
mouvement dossier témoignage sondage record match championnat entraîneur joueur""")
NOUNS_F = _w("""réforme commune région mairie entreprise usine grève manifestation élection enquête
décision loi proposition mesure politique économie situation crise hausse baisse population ville
école université police justice santé sécurité circulation route ligne gare association équipe
saison victoire défaite rencontre exposition saison récolte sécheresse inondation tempête étude
direction assemblée majorité opposition concertation négociation campagne procédure autorité""")
ADJ = [tuple(p.split("/")) for p in _w("""nouveau/nouvelle important/importante régional/régionale
national/nationale local/locale public/publique économique/économique social/sociale politique/politique
municipal/municipale grand/grande dernier/dernière prochain/prochaine premier/première européen/européenne
international/internationale majeur/majeure difficile/difficile récent/récente ancien/ancienne
long/longue fort/forte nécessaire/nécessaire inédit/inédite controversé/controversée attendu/attendue""")]
VERBS_PAST = _w("""annoncé présenté dénoncé confirmé rejeté adopté lancé critiqué défendu
proposé signé validé suspendu reporté inauguré détaillé salué contesté dévoilé examiné""")
VERBS_PRESENT = [tuple(p.split("/")) for p in _w("""annonce/annoncent prépare/préparent
dénonce/dénoncent confirme/confirment rejette/rejettent lance/lancent critique/critiquent
défend/défendent propose/proposent signe/signent suspend/suspendent reporte/reportent
inaugure/inaugurent détaille/détaillent salue/saluent conteste/contestent dévoile/dévoilent
examine/examinent attend/attendent réclame/réclament""")]
INFINITIVES = _w("""renforcer réduire financer améliorer moderniser protéger accompagner relancer
développer simplifier soutenir rénover sécuriser préserver étendre""")
TIMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "ce matin",
         "hier soir", "la semaine dernière", "en fin de journée", "depuis plusieurs mois",
         "cette année", "dans les prochains jours", "d'ici la fin de l'année", "au printemps")
CONNECTORS = ("", "", "", "Par ailleurs, ", "En revanche, ", "Pourtant, ", "De son côté, ",
              "Dans le même temps, ", "Selon nos informations, ", "Depuis, ", "Enfin, ", "Ainsi, ")
ROLES = ("porte-parole", "directeur", "directrice", "responsable", "président", "présidente",
         "secrétaire général", "adjoint au maire", "élue", "chercheur", "avocat", "syndicaliste")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
BOILERPLATE = ("Publicité", "Abonnez-vous à notre newsletter", "Partager sur Facebook",
               "Laisser un commentaire", "Contenu sponsorisé", "Tous droits réservés")


def _name(token: str) -> str:
    """Word-list tokens use '-' for spaces in multi-word names."""
    for multi in ("Da-Silva", "Le-Gall", "Le-Roux"):
        token = token.replace(multi, multi.replace("-", " "))
    return token.replace("Le-Havre", "Le Havre").replace("Le-Mans", "Le Mans").replace(
        "La-Rochelle", "La Rochelle").replace("La-Réunion", "La Réunion").replace(
        "Arabie-saoudite", "Arabie saoudite").replace("Afrique-du-Sud", "Afrique du Sud").replace(
        "Corée-du-Sud", "Corée du Sud").replace("Viêt-nam", "Viêt Nam").replace(
        "Côte-d'Ivoire", "Côte d'Ivoire").replace("Le-Puy-en-Velay", "Le Puy-en-Velay")


# ------------------------------------------------------------------ names

@dataclass(frozen=True)
class NamePool:
    """Entity names by kind, in Zipf rank order, with cumulative weights."""

    names: dict[str, tuple[str, ...]]
    cum_weights: dict[str, tuple[float, ...]]

    def draw(self, rng: random.Random, kind: str) -> str:
        cum = self.cum_weights[kind]
        return self.names[kind][bisect_left(cum, rng.random() * cum[-1])]


def make_name_pool(seed: int, persons: int = 2000, places: int = 700, organizations: int = 800,
                   exponent: float = 1.05) -> NamePool:
    rng = random.Random(f"names:{seed}")
    person = [f"{f} {_name(l)}" for f, l in itertools.product(FIRST_NAMES, LAST_NAMES)]
    rng.shuffle(person)
    domains = [d.replace("-", " ") for d in DOMAINS]
    cities = [_name(c) for c in CITIES]
    place = list(dict.fromkeys(_name(c) for c in CITIES + COUNTRIES + REGIONS))
    rng.shuffle(place)
    # made-up towns only in the long tail, so the frequent places are real ones
    tail = [f"{c}-sur-{r}" for c, r in itertools.product(CITIES, RIVERS) if "-" not in c]
    rng.shuffle(tail)
    place += tail
    orgs: list[str] = []
    for pattern in ORG_PATTERNS:
        for _ in range(organizations // len(ORG_PATTERNS) * 3):
            city = rng.choice(cities)
            org = pattern.replace("de {city}", "{of_city}").replace("de {region}", "{of_region}")
            orgs.append(org.format(domain=rng.choice(domains), of_region=_of(_name(rng.choice(REGIONS))),
                                       of_city=_of(city), last=_name(rng.choice(LAST_NAMES)),
                                       first=rng.choice(FIRST_NAMES), sport=rng.choice(SPORTS)))
    orgs = list(dict.fromkeys(orgs))
    rng.shuffle(orgs)
    names = {"person": tuple(person[:persons]), "place": tuple(place[:places]),
             "organization": tuple(orgs[:organizations])}
    cum = {kind: tuple(itertools.accumulate(1.0 / (rank + 1) ** exponent for rank in range(len(pool))))
           for kind, pool in names.items()}
    return NamePool(names, cum)


# ------------------------------------------------------------------ articles

@dataclass(frozen=True)
class Article:
    """One synthetic article, independent of any output format."""

    index: int
    title: str
    slug: str
    date: dt.date
    time: str  # "HH:MM"
    paragraphs: tuple[tuple[str, str], ...]  # (kind, text): "paragraph" | "heading"
    entities: dict[str, dict[str, int]]  # kind -> name -> mentions in the body
    mentioned: tuple[MentionedDate, ...]
    boilerplate: tuple[tuple[int, str], ...]  # (before paragraph i, line) in the raw seed

    @property
    def summary(self) -> str:
        first = next(text for kind, text in self.paragraphs if kind == "paragraph")
        end = first.find(". ")
        return first if end < 0 else first[: end + 1]

    @property
    def body_markdown(self) -> str:
        return "\n\n".join(f"## {t}" if k == "heading" else t for k, t in self.paragraphs)


def _noun_phrase(rng: random.Random, definite: bool = True) -> tuple[str, str]:
    """A noun phrase and its number ('s' or 'p')."""
    feminine = rng.random() < 0.5
    noun = rng.choice(NOUNS_F if feminine else NOUNS_M)
    adj = rng.choice(ADJ)[1 if feminine else 0]
    if rng.random() < 0.3:  # plural
        noun = _plural(noun)
        adj = _plural(adj)
        det = "les" if definite else "des"
        return f"{det} {adj} {noun}" if rng.random() < 0.2 else f"{det} {noun} {adj}", "p"
    if definite:
        det = "l'" if noun[0] in "aeiouéèêô" else ("la " if feminine else "le ")
    else:
        det = "une " if feminine else "un "
    return f"{det}{noun} {adj}", "s"


def _plural(word: str) -> str:
    if word.endswith(("s", "x")):
        return word
    if word.endswith("al"):
        return word[:-2] + "aux"
    return word + ("x" if word.endswith("au") else "s")


def _date_words(day: dt.date, with_year: bool) -> str:
    return f"le {day.day if day.day > 1 else '1er'} {MONTHS[day.month - 1]}" + (f" {day.year}" if with_year else "")


class _Writer:
    """Builds the sentences of one article, counting entity mentions."""

    def __init__(self, rng: random.Random, entities: dict[str, list[str]]):
        self.rng = rng
        self.entities = entities
        self.pending = [(kind, name) for kind, names in entities.items() for name in names]
        rng.shuffle(self.pending)
        self.mentions = {kind: {name: 0 for name in names} for kind, names in entities.items()}

    def entity(self, kind: str) -> str:
        """A name of this kind; names not yet mentioned first."""
        for i, (k, name) in enumerate(self.pending):
            if k == kind:
                del self.pending[i]
                break
        else:
            names = self.entities[kind] or self.entities["place"] or next(v for v in self.entities.values() if v)
            name = self.rng.choice(names)
            kind = next(k for k, v in self.entities.items() if name in v)
        self.mentions[kind][name] += 1
        return name

    def any_entity(self) -> str:
        kind = self.pending[0][0] if self.pending else self.rng.choice([k for k, v in self.entities.items() if v])
        return self.entity(kind)

    def sentence(self) -> str:
        rng = self.rng
        subject, number = _noun_phrase(rng)
        verb = rng.choice(VERBS_PRESENT)[0 if number == "s" else 1]
        obj, _ = _noun_phrase(rng, definite=rng.random() < 0.5)
        obj2, _ = _noun_phrase(rng)
        time_ = rng.choice(TIMES)
        aux = "a" if number == "s" else "ont"
        has = {kind for kind, names in self.entities.items() if names}
        # entity templates: (kinds they need, builder); names not yet mentioned come first
        templates = [
            ({"person"}, lambda: f"Selon {self.entity('person')}, {subject} {verb} {obj} pour {rng.choice(INFINITIVES)} {obj2}"),
            ({"person", "organization"}, lambda: f"« Nous devons {rng.choice(INFINITIVES)} {obj} », a déclaré "
             f"{self.entity('person')}, {rng.choice(ROLES)} {_of(self.entity('organization'))}"),
            ({"place"}, lambda: f"À {self.entity('place')}, {subject} {verb} {obj} depuis {rng.randint(2, 40)} ans"),
            ({"organization"}, lambda: f"{self.entity('organization')} a {rng.choice(VERBS_PAST)} {time_} {obj}, "
             f"qui doit {rng.choice(INFINITIVES)} {obj2}"),
            ({"place"}, lambda: f"{rng.choice(CONNECTORS)}{subject} {verb} près de {rng.randint(2, 900)} "
             f"{'millions d’euros' if rng.random() < 0.5 else 'personnes'}, {time_}, à {self.entity('place')}"),
            ({"person"}, lambda: f"{self.entity('person')} {rng.choice(VERBS_PRESENT)[0]} {obj} et {obj2} {time_}"),
        ]
        usable = [(kinds, build) for kinds, build in templates if kinds <= has]
        if self.pending:
            usable = [(kinds, build) for kinds, build in usable if self.pending[0][0] in kinds] or usable
        if usable and (self.pending or rng.random() < 0.35):
            s = rng.choice(usable)[1]()
        elif rng.random() < 0.5:
            s = f"{rng.choice(CONNECTORS)}{subject} {aux} {rng.choice(VERBS_PAST)} {obj} {time_}"
        elif rng.random() < 0.5:
            s = f"{rng.choice(CONNECTORS)}{subject} {verb} {obj}, tandis que {obj2} reste {rng.choice(ADJ)[0]}"
        else:
            s = f"{rng.choice(CONNECTORS)}{subject} {verb} {obj} afin de {rng.choice(INFINITIVES)} {obj2} {time_}"
        return s[0].upper() + s[1:] + "."


def _of(name: str) -> str:
    """'de Paris', 'd'Angers'."""
    return f"d'{name}" if name[0] in "AEIOUÉÈÊÎÔaeiouéèêîô" else f"de {name}"


def make_article(pool: NamePool, seed: int, index: int) -> Article:
    """Article `index`: depends only on (seed, index) and the pool."""
    rng = random.Random(f"article:{seed}:{index}")
    day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
    wanted = rng.randint(3, 12)
    chosen: dict[str, list[str]] = {kind: [] for kind in ENTITY_KINDS}
    seen: set[str] = set()
    while len(seen) < wanted:
        kind = rng.choices(ENTITY_KINDS, weights=(45, 35, 20))[0]
        name = pool.draw(rng, kind)
        if name not in seen:
            seen.add(name)
            chosen[kind].append(name)
    w = _Writer(rng, chosen)
    target = rng.randint(MIN_WORDS + 10, MAX_WORDS - 45)
    paragraphs: list[tuple[str, str]] = []
    words = 0
    mentioned: list[MentionedDate] = []
    while words < target or w.pending:
        sentences = []
        for _ in range(rng.randint(2, 5)):
            s = w.sentence()
            if rng.random() < 0.04 and len(mentioned) < 3:  # a date the article mentions
                other = day + dt.timedelta(days=rng.randint(-400, 60))
                with_year = other.year != day.year
                words_ = _date_words(other, with_year)
                s = s[:-1] + f", {words_}."
                mentioned.append(MentionedDate(other.isoformat(), words_))
            sentences.append(s)
        text = " ".join(sentences)
        n = len(text.split())
        if words + n > MAX_WORDS - 10 and words >= MIN_WORDS and not w.pending:
            break
        if paragraphs and len(paragraphs) % 4 == 3 and rng.random() < 0.6:
            heading = _noun_phrase(rng)[0]
            paragraphs.append(("heading", heading[0].upper() + heading[1:]))
            words += len(heading.split())
        paragraphs.append(("paragraph", text))
        words += n
    title_subject, number = (w.any_entity(), "s") if rng.random() < 0.6 else _noun_phrase(rng)
    t = (f"{title_subject} {rng.choice(VERBS_PRESENT)[0 if number == 's' else 1]} "
         f"{_noun_phrase(rng, definite=rng.random() < 0.5)[0]}")
    title = t[0].upper() + t[1:]
    boilerplate = tuple((rng.randrange(len(paragraphs) + 1), rng.choice(BOILERPLATE))
                        for _ in range(rng.randint(1, 4)))
    return Article(
        index=index, title=title, slug=slugify(title, max_length=60), date=day,
        time=f"{rng.randint(6, 22):02d}:{rng.choice((0, 15, 30, 45)):02d}",
        paragraphs=tuple(paragraphs), entities=w.mentions, mentioned=tuple(mentioned),
        boilerplate=boilerplate,
    )


def articles(pool: NamePool, seed: int, n: int):
    """Articles 0..n-1, one at a time; titles can repeat, so later slugs get
    -2, -3, … in index order (deterministic)."""
    seen: dict[str, int] = {}
    for i in range(n):
        a = make_article(pool, seed, i)
        count = seen.get(a.slug, 0) + 1
        seen[a.slug] = count
        yield a if count == 1 else replace(a, slug=f"{a.slug}-{count}")


# ------------------------------------------------------------------ formats

def seed_text(a: Article) -> str:
    """The raw scraped article: title line, paragraphs, boilerplate lines."""
    lines = [a.title, "", f"Publié le {a.date.day} {MONTHS[a.date.month - 1]} {a.date.year} à {a.time.replace(':', 'h')}", ""]
    for i, (kind, text) in enumerate(a.paragraphs):
        lines += [line for at, line in a.boilerplate if at == i for line in (line, "")]
        lines += [text, ""]
    lines += [line for at, line in a.boilerplate if at == len(a.paragraphs) for line in (line, "")]
    return "\n".join(lines).rstrip("\n") + "\n"


def seed_name(a: Article) -> str:
    return f"{a.index:06d}.txt"


def gazette_record(a: Article) -> str:
    seed = seed_text(a)
    record = Record(
        title=a.title, slug=a.slug, lang="fr", date=f"{a.date.isoformat()}T{a.time}:00",
        date_source="source", summary=a.summary, body=a.body_markdown,
        entities=Entities(**{
            kind: tuple(EntityTag(name, n) for name, n in sorted(names.items(), key=lambda kv: -kv[1]))
            for kind, names in a.entities.items()
        }),
        mentioned_dates=a.mentioned, tags=(),
        source_path=f"seeds/{seed_name(a)}", source_sha256=hashlib.sha256(seed.encode()).hexdigest(),
        source_url=None,
        removed=tuple(Removal(line, "synthetic-boilerplate") for _, line in sorted(a.boilerplate)),
    )
    return record_to_text(record)


def _yaml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _yaml_list(items) -> str:
    return "[" + ", ".join(_yaml_str(i) for i in items) + "]"


def hugo_page(a: Article) -> str:
    days = sorted({a.date.isoformat(), *(m.date for m in a.mentioned if len(m.date) == 10)})
    front = [
        "---",
        f"title: {_yaml_str(a.title)}",
        f"slug: {a.slug}",
        f"date: {a.date.isoformat()}T{a.time}:00+01:00",
        f"summary: {_yaml_str(a.summary)}",
        *(f"{HUGO_SECTIONS[kind]}: {_yaml_list(names)}" for kind, names in a.entities.items()),
        f"years: [\"{a.date.year}\"]",
        f"months: [\"{a.date:%Y-%m}\"]",
        f"days: {_yaml_list(days)}",
        "---",
    ]
    return "\n".join(front) + "\n" + a.body_markdown + "\n"


def pelican_page(a: Article) -> str:
    tags = [name for names in a.entities.values() for name in names]
    head = [
        f"Title: {a.title}",
        f"Date: {a.date.isoformat()} {a.time}",
        f"Slug: {a.slug}",
        f"Tags: {', '.join(tags)}",
        f"Summary: {a.summary}",
    ]
    return "\n".join(head) + "\n\n" + a.body_markdown + "\n"


GAZETTE_SITE = """\
# Synthetic benchmark site written by bench/make_corpus.py
title = "Archives synthétiques"
language = "fr"
base_url = "https://example.org/"

[build]
per_page = 20
related = 6
"""

HUGO_CONFIG = """\
# Synthetic benchmark site written by bench/make_corpus.py
baseURL = "https://example.org/"
languageCode = "fr"
defaultContentLanguage = "fr"
title = "Archives synthétiques"
theme = "gazette-bench"
relativeURLs = true  # Gazette writes relative links too: the archive works from any folder
enableRobotsTXT = true
# the home page lists every article already, as Gazette's does: no /articles/ list
disableKinds = ["section"]
# entity names as written ("Chambre de commerce d'Aurillac"), not title-cased
titleCaseStyle = "none"

# Feeds where Gazette has them: the home page and each person, place and
# organisation; none for the taxonomy indexes, years, months or days
[outputs]
taxonomy = ["html"]
[[cascade]]
outputs = ["html"]
[cascade.target]
kind = "term"
path = "{/years/**,/months/**,/days/**}"

[services.rss]
limit = 50  # items per feed, as Gazette's build.feed_items

[pagination]
pagerSize = 20
disableAliases = true  # no /page/1/ redirect pages (Gazette writes none)

[taxonomies]
person = "people"
place = "places"
organization = "organizations"
year = "years"
month = "months"
day = "days"

# Related articles: the entity taxonomies. cardinalityThreshold leaves out the
# keywords used by more than 23 % of the articles (two in this corpus: a person
# in 40 % and a place in 36 % of them); without it Hugo's Related ranks and
# sorts every article sharing any keyword, ~4,500 per page at 10,000 articles.
# Gazette's own cut is about the same: an entity in more than 22.3 % of the
# articles (idf < generator/site/related.py MIN_SCORE = 1.5) cannot relate two
# articles on its own there either.
[related]
includeNewer = true
threshold = 10
toLower = false
[[related.indices]]
name = "people"
weight = 100
cardinalityThreshold = 23
[[related.indices]]
name = "places"
weight = 80
cardinalityThreshold = 23
[[related.indices]]
name = "organizations"
weight = 80
cardinalityThreshold = 23
"""


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def write_corpus(n: int, out: Path, seed: int = 2026, formats=FORMATS, log=None) -> dict[str, int]:
    """Write the corpus; returns the number of files written per format."""
    out = Path(out)
    pool = make_name_pool(seed)
    dirs = {
        "gazette": out / "gazette" / "content",
        "hugo": out / "hugo" / "content" / "articles",
        "pelican": out / "pelican" / "content",
        "seeds": out / "seeds",
    }
    for fmt in formats:
        if dirs[fmt].exists():
            shutil.rmtree(dirs[fmt])
        dirs[fmt].mkdir(parents=True)
    if "gazette" in formats:
        _write(out / "gazette" / "site.toml", GAZETTE_SITE)
    if "hugo" in formats:
        _write(out / "hugo" / "hugo.toml", HUGO_CONFIG)
        theme = out / "hugo" / "themes" / "gazette-bench"
        if theme.exists():
            shutil.rmtree(theme)
        shutil.copytree(BENCH_DIR / "hugo_theme", theme)
    writers = {
        "gazette": lambda a: (dirs["gazette"] / f"{a.slug}.md", gazette_record(a)),
        "hugo": lambda a: (dirs["hugo"] / f"{a.slug}.md", hugo_page(a)),
        "pelican": lambda a: (dirs["pelican"] / f"{a.slug}.md", pelican_page(a)),
        "seeds": lambda a: (dirs["seeds"] / seed_name(a), seed_text(a)),
    }
    counts = dict.fromkeys(formats, 0)
    for i, a in enumerate(articles(pool, seed, n)):
        for fmt in formats:
            path, text = writers[fmt](a)
            _write(path, text)
            counts[fmt] += 1
        if log and (i + 1) % 10000 == 0:
            log(f"{i + 1:,} / {n:,} articles")
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of articles (e.g. 1000, 10000, 100000)")
    parser.add_argument("out", type=Path, help="output folder (its gazette/, hugo/, pelican/, seeds/ are replaced)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default: 2026)")
    parser.add_argument("--formats", default=",".join(FORMATS),
                        help=f"comma-separated subset of {','.join(FORMATS)} (default: all)")
    args = parser.parse_args(argv)
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or args.n < 1:
        parser.error(f"unknown format {unknown[0]!r}" if unknown else "N must be at least 1")
    start = time.perf_counter()
    counts = write_corpus(args.n, args.out, args.seed, formats, log=lambda m: print(m, file=sys.stderr))
    took = time.perf_counter() - start
    print(f"{args.n:,} articles → {args.out} ({', '.join(f'{k}: {v:,}' for k, v in counts.items())}) in {took:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
