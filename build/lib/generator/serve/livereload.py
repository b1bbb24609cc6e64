"""Live reload: the preview's build status, shared between the build loop and
the HTTP handlers, and what the browser receives (script, overlay, events).

Pages never reload in the middle of a build: the browser only learns about
a new `generation` once a build has finished and swapped its output in.
Everything here lives under one URL prefix that no site page uses.
"""
from __future__ import annotations

import html
import json
import re
import threading
from dataclasses import asdict, dataclass, replace

PREFIX = "/__gazette__/"
SCRIPT_URL = PREFIX + "livereload.js"
EVENTS_URL = PREFIX + "events"
STATUS_URL = PREFIX + "status"
OVERLAY_ID = "gazette-error-overlay"


@dataclass(frozen=True)
class BuildStatus:
    """What the preview has done so far."""

    generation: int = 0  # successful builds: the site the browser should show
    builds: int = 0  # builds started (successful or not)
    building: bool = False
    errors: tuple[str, ...] = ()  # `file:line: message` of the last failed ingest or build

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


class LiveState:
    """The current BuildStatus; readers can wait for the next one."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._status = BuildStatus()
        self._closed = False

    @property
    def status(self) -> BuildStatus:
        with self._changed:
            return self._status

    @property
    def closed(self) -> bool:
        with self._changed:
            return self._closed

    def update(self, **changes) -> BuildStatus:
        with self._changed:
            self._status = replace(self._status, **changes)
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


def inject(page: bytes, status: BuildStatus) -> bytes:
    """`page` with the reload script (and the overlay when the last build failed)
    inserted before `</body>`, or at the end when there is none."""
    snippet = (
        overlay_html(status.errors)
        + f'<script src="{SCRIPT_URL}?generation={status.generation}" defer></script>'
    ).encode("utf-8")
    matches = list(_BODY_END.finditer(page))
    if not matches:
        return page + snippet
    at = matches[-1].start()
    return page[:at] + snippet + page[at:]


_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)

_OVERLAY_STYLE = (
    "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;"
    "background:#2b0b0b;color:#ffdede;font:14px/1.4 ui-monospace,monospace;"
    "padding:1em 1.25em;border-top:4px solid #e5484d;box-shadow:0 -4px 16px rgba(0,0,0,.4)"
)

# The browser side: listens to the event stream, reloads when a newer build is
# in place, shows or hides the error overlay. EventSource reconnects by itself
# (after a server restart, the generation differs and the page reloads).
# (A stream, not polling: the page learns of a build the moment it ends.)
SCRIPT = f"""\
(function () {{
  "use strict";
  if (window.__gazetteLiveReload) return;
  window.__gazetteLiveReload = true;
  var me = document.currentScript;
  var shown = Number(new URL(me.src).searchParams.get("generation"));
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
  // Browsers allow about six connections per server over HTTP/1.1: only
  // visible tabs keep an event stream open, hidden ones reconnect (and
  // reload if a build finished meanwhile) when they are shown again.
  var events = null;
  function onStatus(event) {{
    var status = JSON.parse(event.data);
    if (status.building) return;
    if (status.generation !== shown && status.generation > 0) {{
      disconnect();
      location.reload();
      return;
    }}
    showErrors(status.errors);
  }}
  function connect() {{
    if (events) return;
    events = new EventSource({json.dumps(EVENTS_URL)});
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
