"""The values that flow through the pipeline. Pure types, no I/O."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Problem

ENTITY_KINDS = ("person", "place", "organization")


@dataclass(frozen=True)
class SourceMeta:
    """What the source itself says about the article, when it says it."""

    title: str | None = None
    date: str | None = None  # ISO 8601 date or datetime
    updated: str | None = None  # a later update date the source states, ISO 8601
    url: str | None = None
    lang: str | None = None


@dataclass(frozen=True)
class RawArticle:
    """A seed decoded to clean text (NFC, LF, no control characters)."""

    path: Path
    text: str
    sha256: str  # of the seed's bytes
    meta: SourceMeta = field(default_factory=SourceMeta)
    # the seed was already a record (.md): its front matter, as parsed
    front_matter: dict | None = None
    # what reading left out already (an HTML page's navigation, asides …)
    removed: tuple["Removal", ...] = ()


@dataclass(frozen=True)
class Removal:
    """One line that cleaning dropped, and the rule that dropped it."""

    text: str
    rule: str


@dataclass(frozen=True)
class Block:
    """A paragraph or a sub-heading of the article body."""

    kind: str  # "paragraph" | "heading"
    text: str


@dataclass(frozen=True)
class CleanArticle:
    title: str
    blocks: tuple[Block, ...]
    removed: tuple[Removal, ...]
    title_source: str = "first-line"  # first-line | derived | html (see TITLE_SOURCES)

    @property
    def body_text(self) -> str:
        """The body as plain text, blocks separated by blank lines."""
        return "\n\n".join(b.text for b in self.blocks)


@dataclass(frozen=True)
class EntityTag:
    name: str  # canonical name
    mentions: int  # how often the article mentions it


@dataclass(frozen=True)
class Entities:
    """Canonical entity tags by kind, most salient first."""

    person: tuple[EntityTag, ...] = ()
    place: tuple[EntityTag, ...] = ()
    organization: tuple[EntityTag, ...] = ()

    def of(self, kind: str) -> tuple[EntityTag, ...]:
        return getattr(self, kind)

    def __iter__(self):
        for kind in ENTITY_KINDS:
            for tag in self.of(kind):
                yield kind, tag


@dataclass(frozen=True)
class MentionedDate:
    date: str  # "YYYY-MM-DD" or "YYYY-MM"
    text: str  # the words it came from


TITLE_SOURCES = ("first-line", "derived", "html", "front-matter")


@dataclass(frozen=True)
class Version:
    """Another copy of the same story (a wire dispatch republished elsewhere)."""

    source: str  # the seed path of that copy, relative to the site
    date: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Record:
    """One article of the archive: the front matter fields and the body."""

    title: str
    slug: str
    lang: str
    date: str | None  # publication date, ISO 8601, or None when unknown
    date_source: str  # source | html-meta | dateline | filename | option | unknown
    summary: str
    body: str  # Markdown
    entities: Entities = field(default_factory=Entities)
    mentioned_dates: tuple[MentionedDate, ...] = ()
    tags: tuple[str, ...] = ()
    source_path: str | None = None
    source_sha256: str | None = None
    source_url: str | None = None
    removed: tuple[Removal, ...] = ()
    title_source: str = "front-matter"  # where the title came from: one of TITLE_SOURCES
    updated: str | None = None  # a later "mis à jour" date, ISO 8601, kept apart from `date`
    versions: tuple[Version, ...] = ()  # other copies of this story, not published apart
    # what making the record left out, and why (a URL that is not http/https): not a field of the file
    warnings: tuple[Problem, ...] = field(default=(), compare=False)
