"""Which open tabs reload after a new generation: only those whose page changed.

Each tab's event stream says which page it shows (its URL path, whether it
was served the 404 page), the generation it was served at and the server
that served it. After every status the server decides, for that tab alone,
whether it reloads; a tab that does not reload takes the new generation
silently, so a later change of its page still reloads it.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import parse_qs

from generator.serve.history import ChangeHistory
from generator.serve.livereload import BuildStatus
from generator.serve.pages import NOT_FOUND_PAGE, UnsafePath, page_of

# every page loads the theme's stylesheets and scripts: a change there reloads every tab
SHARED_PREFIXES = ("static/",)


@dataclass(frozen=True)
class Tab:
    """An open tab, as its event stream describes it."""

    shows: frozenset[str] | None  # the site paths whose change reloads it; None: any change
    generation: int | None  # the generation it was served at; None: the first status it hears
    server: str = ""  # the server that served it ("" when not said)


def shown_paths(location_path: str, missing: bool) -> frozenset[str] | None:
    """The site paths a tab at `location_path` depends on: its page and, when it
    was served the 404 page, that page too (it reloads once its own page exists).
    None for a path no page can have."""
    try:
        page = page_of(location_path)
    except UnsafePath:
        return None
    return frozenset({page, NOT_FOUND_PAGE}) if missing else frozenset({page})


def tab_of(query: str) -> Tab:
    """The Tab an event stream's query string describes
    (`page=/articles/x/&generation=4&server=…&missing=1`); without a page, a
    tab that reloads on any change (today's behaviour, and older scripts)."""
    params = {key: values[0] for key, values in parse_qs(query).items()}
    page = params.get("page")
    shows = shown_paths(page, params.get("missing") == "1") if page else None
    try:
        generation: int | None = int(params["generation"])
    except (KeyError, ValueError):
        generation = None
    return Tab(shows, generation, params.get("server", ""))


def needs_reload(tab: Tab, status: BuildStatus, history: ChangeHistory) -> bool:
    """Whether `tab` must reload to show `status`'s generation."""
    if status.building or status.generation == 0:
        return False  # never mid-build; and with nothing built, nothing better to show
    if tab.generation is None or status.generation == tab.generation:
        return tab.server != "" and tab.server != status.server
    if (tab.server and tab.server != status.server) or status.generation < tab.generation:
        return True  # the server restarted: its generations start again
    changed = history.between(tab.generation, status.generation)
    if changed is None or tab.shows is None:
        return True
    return any(path in tab.shows or path.startswith(SHARED_PREFIXES) for path in changed)


def heard(tab: Tab, status: BuildStatus) -> Tab:
    """The tab once it has taken `status` without reloading."""
    if status.building:
        return tab if tab.generation is not None else replace(tab, generation=status.generation)
    return replace(tab, generation=status.generation, server=status.server or tab.server)
