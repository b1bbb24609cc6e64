"""Live reload: the preview's build status, shared between the build loop and
the HTTP handlers, and what the browser receives (script, overlay, events).

Pages never reload in the middle of a build: the browser only learns about
a new `generation` once a build has finished and swapped its output in.
Each generation records which site paths it changed (None: everything); a
tab reloads only when its own page changed (tabs.py decides, per stream).
Everything here lives under one URL prefix that no site page uses.
"""
from __future__ import annotations

import html
import json
import re
import secrets
import threading
from dataclasses import asdict, dataclass, replace

from generator.serve.history import ChangeHistory
from generator.site.i18n import strings

PREFIX = "/__gazette__/"
SCRIPT_URL = PREFIX + "livereload.js"
EVENTS_URL = PREFIX + "events"
STATUS_URL = PREFIX + "status"
OVERLAY_ID = "gazette-error-overlay"
SEARCH_LAG_ID = "gazette-search-lag"


@dataclass(frozen=True)
class BuildStatus:
    """What the preview has done so far."""

    generation: int = 0  # successful builds: the site the browser should show
    builds: int = 0  # builds started (successful or not)
    building: bool = False
    errors: tuple[str, ...] = ()  # `file:line: message` of the last failed ingest or build
    # the site paths this generation changed; None: everything (a theme, site.toml)
    changed: frozenset[str] | None = None
    search_pending: bool = False  # the search index is being updated after a save
    server: str = ""  # this run of the server: a tab served by another one reloads

    def to_json(self, **extra: object) -> str:
        """The status for the browser (each tab is told whether its page changed, not the paths)."""
        fields = {key: value for key, value in asdict(self).items() if key != "changed"}
        return json.dumps({**fields, **extra}, ensure_ascii=False)


class LiveState:
    """The current BuildStatus; readers can wait for the next one."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._status = BuildStatus(server=secrets.token_hex(6))
        self._history = ChangeHistory()
        self._closed = False

    @property
    def status(self) -> BuildStatus:
        with self._changed:
            return self._status

    @property
    def history(self) -> ChangeHistory:
        with self._changed:
            return self._history

    @property
    def closed(self) -> bool:
        with self._changed:
            return self._closed

    def update(self, **changes) -> BuildStatus:
        with self._changed:
            self._status = replace(self._status, **changes)
            self._changed.notify_all()
            return self._status

    def publish(self, changed: frozenset[str] | None, **changes) -> BuildStatus:
        """A new generation is in place; `changed`: the site paths whose bytes
        changed (None: everything). `changes`: other fields set at once."""
        with self._changed:
            generation = self._status.generation + 1
            self._history = self._history.add(generation, changed)
            self._status = replace(self._status, generation=generation, changed=changed, **changes)
            self._changed.notify_all()
            return self._status

    def wait_for_change(self, seen: BuildStatus | None, timeout: float) -> BuildStatus | None:
        """The status once it differs from `seen` (or after `timeout`); None once closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._status != seen, timeout)
            return None if self._closed else self._status

    def close(self) -> None:
        """Wake every waiting reader so that event streams end."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()


def overlay_html(errors: tuple[str, ...]) -> str:
    """The error overlay, rendered by the server so it shows even before the script runs."""
    if not errors:
        return ""
    items = "\n".join(html.escape(e) for e in errors)
    return (
        f'<div id="{OVERLAY_ID}" role="alert" style="{_OVERLAY_STYLE}">'
        f'<strong style="display:block;margin-bottom:.5em">Gazette: the last rebuild failed — '
        f"this is the last good build</strong>"
        f'<pre style="white-space:pre-wrap;margin:0">{items}</pre></div>'
    )


def script_tag(status: BuildStatus, *, missing: bool = False, lang: str = "en") -> str:
    """The reload script, told the generation and server the page was served
    at, whether it was the 404 page, and the search notice in the page's language."""
    query = f"generation={status.generation}&server={status.server}" + ("&missing=1" if missing else "")
    notice = html.escape(str(strings(lang)["search_lag"]))
    return f'<script src="{SCRIPT_URL}?{query}" data-search-lag="{notice}" defer></script>'


def page_language(page: bytes) -> str:
    """The `lang` of the page's <html> element ("" when it has none)."""
    found = _HTML_LANG.search(page[:4096])
    return found.group(1).decode("ascii", "replace") if found else ""


def inject(page: bytes, status: BuildStatus, *, missing: bool = False) -> bytes:
    """`page` with the reload script (and the overlay when the last build failed)
    inserted before `</body>`, or at the end when there is none. `missing`: the
    page is the 404 page, served at an address that has no page (yet)."""
    snippet = (
        overlay_html(status.errors) + script_tag(status, missing=missing, lang=page_language(page))
    ).encode("utf-8")
    matches = list(_BODY_END.finditer(page))
    if not matches:
        return page + snippet
    at = matches[-1].start()
    return page[:at] + snippet + page[at:]


_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)
_HTML_LANG = re.compile(rb"""<html\b[^>]*?\blang=["']?([A-Za-z0-9-]{1,35})""", re.IGNORECASE)

_OVERLAY_STYLE = (
    "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;"
    "background:#2b0b0b;color:#ffdede;font:14px/1.4 ui-monospace,monospace;"
    "padding:1em 1.25em;border-top:4px solid #e5484d;box-shadow:0 -4px 16px rgba(0,0,0,.4)"
)

_SEARCH_LAG_STYLE = "margin:0 0 1em;padding:.5em .75em;border:2px solid currentColor;border-radius:4px"

# The browser side: listens to the event stream, reloads when the server says
# this tab's page changed, shows or hides the error overlay, and on the search
# page the notice that the index is still catching up with a save. The stream
# is told which page this tab shows and the generation it was served at;
# EventSource reconnects by itself (after a server restart, the server differs
# and the page reloads).
# (A stream, not polling: the page learns of a build the moment it ends.)
SCRIPT = f"""\
(function () {{
  "use strict";
  if (window.__gazetteLiveReload) return;
  window.__gazetteLiveReload = true;
  var me = document.currentScript;
  var params = new URL(me.src).searchParams;
  var shown = Number(params.get("generation"));
  var server = params.get("server") || "";
  var missing = params.get("missing") === "1";
  var OVERLAY = {json.dumps(OVERLAY_ID)};
  var STYLE = {json.dumps(_OVERLAY_STYLE)};
  function showErrors(errors) {{
    var old = document.getElementById(OVERLAY);
    if (!errors.length) {{ if (old) old.remove(); return; }}
    var box = old || document.createElement("div");
    box.id = OVERLAY;
    box.setAttribute("role", "alert");
    box.setAttribute("style", STYLE);
    box.textContent = "";
    var title = document.createElement("strong");
    title.style.display = "block";
    title.style.marginBottom = ".5em";
    title.textContent = "Gazette: the last rebuild failed \\u2014 this is the last good build";
    var list = document.createElement("pre");
    list.style.whiteSpace = "pre-wrap";
    list.style.margin = "0";
    list.textContent = errors.join("\\n");
    box.appendChild(title);
    box.appendChild(list);
    if (!old) document.body.appendChild(box);
  }}
  // On the search page only: a live region made at once (empty), so that
  // screen readers announce the notice when it is filled in.
  var lag = null;
  var search = document.getElementById("search");
  if (search) {{
    lag = document.createElement("p");
    lag.id = {json.dumps(SEARCH_LAG_ID)};
    lag.setAttribute("role", "status");
    lag.setAttribute("style", {json.dumps(_SEARCH_LAG_STYLE)});
    lag.hidden = true;
    search.insertBefore(lag, search.firstChild);
  }}
  function showSearchLag(pending) {{
    if (!lag) return;
    lag.textContent = pending ? me.getAttribute("data-search-lag") : "";
    lag.hidden = !pending;
  }}
  // Browsers allow about six connections per server over HTTP/1.1: only
  // visible tabs keep an event stream open, hidden ones reconnect (and
  // reload if their page changed meanwhile) when they are shown again.
  var events = null;
  function onStatus(event) {{
    var status = JSON.parse(event.data);
    showSearchLag(status.search_pending);
    if (status.building) return;
    if (status.reload) {{
      disconnect();
      location.reload();
      return;
    }}
    if (status.generation > 0) {{ shown = status.generation; server = status.server; }}
    showErrors(status.errors);
  }}
  function connect() {{
    if (events) return;
    var query = new URLSearchParams({{
      page: location.pathname, generation: String(shown), server: server, missing: missing ? "1" : "0"
    }});
    events = new EventSource({json.dumps(EVENTS_URL)} + "?" + query.toString());
    events.onmessage = onStatus;
  }}
  function disconnect() {{
    if (events) {{ events.close(); events = null; }}
  }}
  document.addEventListener("visibilitychange", function () {{
    if (document.hidden) disconnect(); else connect();
  }});
  window.addEventListener("pagehide", disconnect);
  window.addEventListener("pageshow", function () {{ if (!document.hidden) connect(); }});
  if (!document.hidden) connect();
}})();
"""
