"""Preview latency of `gazette serve`, and the one-change `gazette build`,
on generated archives of several sizes.

    python bench/serve_latency.py [--sizes 1000,10000] [--saves 7] [--pause 1.5]
                                  [--work /tmp/gazette-serve-bench] [--write-results]

For each size N: generates N articles with bench/make_corpus.py (Gazette
records, no NLP; cached in WORK/corpus-N, so a second run does not
regenerate them), then measures through the CLI only (`python -m generator
build|serve`), so that it measures any version of the preview:

  clean build        `gazette build` with no output folder and no .gazette/
  one-change build   `gazette build` after one record was edited (per edit kind)
  save → served      the article's URL, polled over HTTP, shows the edit
  save → reloaded    the article open in Debian's chromium (Playwright) shows it
  other article      an edit of a different article: does the open tab reload?
  memory             peak resident memory of serve's process tree, up to its
                     first build, then over all the saves

Edit kinds: a sentence of the body changed (written atomically, like an
editor: temp file then rename; and once more written in place), the title
changed (listings change), a person added to the front matter (entity pages
and related articles change). Each figure is the median (min–max) of
`--saves` saves; the clock starts right before the save; saves are
`--pause` seconds apart, so the preview's debounce windows do not merge.
Servers listen on 127.0.0.1 with `--port 0` and are stopped at the end,
also on error or Ctrl-C; edited records get their original text back.

Prints a Markdown section; `--write-results` also puts it into
bench/RESULTS.md as "## Preview latency" (replacing that section, keeping
the rest of the file).
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.util
import itertools
import json
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Mapping

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS = BENCH_DIR / "RESULTS.md"
SECTION_HEADING = "## Preview latency"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# the targets: save → reloaded, by archive size; one-change build / clean build
RELOAD_TARGETS = {10_000: 1.0, 100_000: 3.0}
ONE_CHANGE_TARGETS = {10_000: 0.1}  # the issue's; at 1,000 the interpreter's start alone is a tenth
POLL_SECONDS = 0.05  # the server builds in the process that answers: polling harder would slow it
OTHER_ARTICLE_GRACE = 2.0  # after the other page changed: time a reload of the open tab has to happen


def say(message: str) -> None:
    print(f"[serve-latency {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ edits a person makes

_nonces = itertools.count(101)
_FIRST_NAMES = ("Aurélien", "Bérénice", "Clothilde", "Dorian", "Eulalie", "Fulbert", "Gwladys")
_LAST_NAMES = ("Castagnède", "Pelletan", "Vauquelin", "Dartigues", "Moustier", "Lenfant", "Quéruel",
               "Saintonge", "Boisgontier", "Larrieu", "Feuerstein")


def _split(text: str) -> tuple[str, str]:
    """(front matter with its fences, body) of a record's text."""
    end = text.index("\n---\n", 4) + len("\n---\n")
    return text[:end], text[end:]


def change_body_sentence(text: str, nonce: int) -> tuple[str, str]:
    """The first sentence of the body's second paragraph rewritten; (new text, what the page then shows)."""
    front, body = _split(text)
    paragraphs = body.split("\n\n")
    at = 1 if len(paragraphs) > 1 and paragraphs[1].strip() else 0
    sentence = f"Selon le dernier bilan, {nonce} personnes ont assisté à la réunion."
    rest = re.split(r"(?<=[.!?])\s+", paragraphs[at].strip(), maxsplit=1)
    paragraphs[at] = " ".join([sentence, *rest[1:]])
    return front + "\n\n".join(paragraphs), sentence


def change_title(text: str, nonce: int) -> tuple[str, str]:
    """The title corrected (slug kept, so the URL stays)."""
    front, body = _split(text)
    match = re.search(r"^title: (.*)$", front, re.MULTILINE)
    if not match:
        raise ValueError("record without a title line")
    import yaml  # the project's dependency: reads the title however it is quoted

    title = f"{yaml.safe_load(match.group(1))}, bilan numéro {nonce}"
    line = "title: " + json.dumps(title, ensure_ascii=False)  # a JSON string is a YAML string
    return front[:match.start()] + line + front[match.end():] + body, title


def add_person(text: str, nonce: int) -> tuple[str, str]:
    """One more person in the front matter's entities."""
    front, body = _split(text)
    name = f"{_FIRST_NAMES[nonce % len(_FIRST_NAMES)]} {_LAST_NAMES[nonce % len(_LAST_NAMES)]}"
    entry = f"    {name}: 1\n"
    # the dumper writes an empty kind or an empty block in flow style: `person: {}`
    persons = re.search(r"^  person:( \{\})?\n", front, re.MULTILINE)
    entities = re.search(r"^entities:( \{\})?\n", front, re.MULTILINE)
    if persons:
        front = front[:persons.start()] + "  person:\n" + entry + front[persons.end():]
    elif entities:
        front = front[:entities.start()] + "entities:\n  person:\n" + entry + front[entities.end():]
    else:
        raise ValueError("record without an entities block")
    return front + body, name


@dataclass(frozen=True)
class EditKind:
    label: str
    edit: Callable[[str, int], tuple[str, str]]
    in_place: bool = False  # written in place instead of temp file + rename
    builds: bool = True  # also measured with `gazette build` (the write method does not matter there)


EDIT_KINDS = (
    EditKind("body sentence", change_body_sentence),
    EditKind("body sentence, written in place", change_body_sentence, in_place=True, builds=False),
    EditKind("title (listings change)", change_title),
    EditKind("person added (entity pages, related)", add_person),
)
OTHER_ARTICLE = "body sentence of another article"


def write_atomically(path: Path, text: str) -> None:
    """As editors save: a temporary file next to it, then a rename over it."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def write_in_place(path: Path, text: str) -> None:
    """As some editors save (vim's backupcopy=yes): the same file truncated and rewritten."""
    with open(path, "r+", encoding="utf-8") as f:
        f.truncate(0)
        f.write(text)


class Record:
    """One record of the corpus, edited from its original text and restored at the end."""

    def __init__(self, path: Path):
        self.path = path
        self.original = path.read_text(encoding="utf-8")
        self.slug = re.search(r"^slug: (\S+)$", self.original, re.MULTILINE).group(1)

    def edit(self, kind: EditKind) -> tuple[str, float]:
        """Save one edit; (what the page then shows, the clock at the start of the save)."""
        text, shown = kind.edit(self.original, next(_nonces))
        started = time.perf_counter()
        (write_in_place if kind.in_place else write_atomically)(self.path, text)
        return shown, started

    def restore(self) -> None:
        if self.path.read_text(encoding="utf-8") != self.original:
            write_atomically(self.path, self.original)


# ------------------------------------------------------------------ memory of a process tree

def _tree(root: int) -> list[int]:
    """root and its descendants, from /proc (no psutil in the project's environment)."""
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, ()))
    return found


def _status_kb(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class PeakMemory:
    """Samples a process tree's resident memory every 100 ms in a thread; the
    peak is the largest sum, or a process's own high-water mark if higher
    (it catches what happens between samples)."""

    def __init__(self, pid: int):
        self.pid = pid
        self._peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            pids = _tree(self.pid)
            total = sum(_status_kb(p, "VmRSS:") for p in pids)
            hwm = max((_status_kb(p, "VmHWM:") for p in pids), default=0)
            self._peak_kb = max(self._peak_kb, total, hwm)
            self._stop.wait(0.1)

    @property
    def peak_mb(self) -> float:
        return self._peak_kb / 1024

    def stop(self) -> float:
        self._stop.set()
        self._thread.join(timeout=5)
        return self.peak_mb


# ------------------------------------------------------------------ gazette, through its CLI

def _gazette(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator", *args]


def _env() -> dict[str, str]:
    # PYTHONPATH: the generator/ of this checkout, also in the processes gazette starts
    return {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}


def timed_build(site: Path) -> tuple[float, float]:
    """`gazette build -q` of the site: (seconds, peak MB of its process tree)."""
    started = time.perf_counter()
    process = subprocess.Popen(_gazette("build", "--site", str(site), "-q"), cwd=ROOT, env=_env(),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    memory = PeakMemory(process.pid)
    try:
        output = process.communicate()[0]
    except BaseException:  # Ctrl-C or SIGTERM: no build left running
        process.kill()
        process.wait()
        raise
    finally:
        peak = memory.stop()
    seconds = time.perf_counter() - started
    if process.returncode:
        raise RuntimeError(f"gazette build failed (exit {process.returncode}):\n{output[-2000:]}")
    return seconds, peak


def _wait_for_old_outputs(site: Path, limit: float = 300) -> None:
    """A replaced output is deleted in the background: let that finish before the next timing."""
    deadline = time.monotonic() + limit
    while any(site.glob(".public.old-*")) and time.monotonic() < deadline:
        time.sleep(0.2)


class Server:
    """`gazette serve --port 0` on 127.0.0.1, its messages collected; stop() ends it."""

    def __init__(self, site: Path, timeout: float):
        self.messages: list[str] = []
        self._serving = threading.Event()
        self.url = ""
        self.process = subprocess.Popen(
            _gazette("serve", "--site", str(site), "--host", "127.0.0.1", "--port", "0"), cwd=ROOT, env=_env(),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True,  # Ctrl-C reaches this script, which stops the server itself
        )
        self.memory = PeakMemory(self.process.pid)
        for stream in (self.process.stdout, self.process.stderr):
            threading.Thread(target=self._collect, args=(stream,), daemon=True).start()
        try:
            deadline = time.monotonic() + timeout
            while not self._serving.wait(0.2):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gazette serve did not start:\n" + "\n".join(self.messages[-20:]))
        except BaseException:  # also Ctrl-C during the first build
            self.stop()
            raise

    def _collect(self, stream) -> None:
        for line in stream:
            self.messages.append(f"{time.strftime('%H:%M:%S')} {line.rstrip()}")
            match = re.match(r"Serving (http://\S+)", line)
            if match:
                self.url = match.group(1).rstrip("/") + "/"
                self._serving.set()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # as Ctrl-C: the server cleans up
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.memory.stop()


def _page(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):  # between two builds, or a 404 while the output is swapped
        return ""


def wait_until_served(url: str, shown: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while shown not in _page(url):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not show {shown!r} within {timeout:.0f} s")
        time.sleep(POLL_SECONDS)


# ------------------------------------------------------------------ the measurements

@dataclass(frozen=True)
class Figures:
    """Seconds of several saves (or builds)."""

    seconds: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def cell(self) -> str:
        return f"{self.median:.2f} ({min(self.seconds):.2f}–{max(self.seconds):.2f})"


@dataclass(frozen=True)
class SizeResult:
    articles: int
    saves: int
    clean_build: float
    clean_build_mb: float
    builds: Mapping[str, Figures]  # edit label → one-change builds
    served: Mapping[str, Figures]  # edit label → save → served over HTTP
    reloaded: Mapping[str, Figures]  # edit label → save → tab shows it
    browser_skipped: str  # why there is no browser column, or ""
    other_reloads: int | None  # reloads of the open tab when another article was saved
    serve_start: float  # seconds from starting `gazette serve` to the article served
    serve_first_mb: float
    serve_saves_mb: float


def ensure_corpus(work: Path, n: int) -> Path:
    """WORK/corpus-N/gazette, regenerated only when make_corpus.py changed or a run left it edited."""
    out = work / f"corpus-{n}"
    stamp = out / ".stamp"
    digest = hashlib.sha256((BENCH_DIR / "make_corpus.py").read_bytes()).hexdigest()[:16]
    if not (stamp.exists() and stamp.read_text() == digest):
        say(f"generating {n:,} articles into {out} …")
        sys.path.insert(0, str(BENCH_DIR))
        from make_corpus import write_corpus

        stamp.unlink(missing_ok=True)
        write_corpus(n, out, formats=("gazette",))
        stamp.write_text(digest)
    return out / "gazette"


def pick_records(site: Path) -> tuple[Record, Record]:
    """The article edited (one with persons, mid-archive) and another one."""
    paths = sorted((site / "content").glob("*.md"))
    middle = len(paths) // 2
    edited = next(p for p in paths[middle:] + paths[:middle] if "\n  person:\n" in p.read_text(encoding="utf-8"))
    other = next(p for p in paths[len(paths) // 3:] if p != edited)
    return Record(edited), Record(other)


def measure_builds(site: Path, record: Record, saves: int) -> dict[str, Figures]:
    found = {}
    for kind in (k for k in EDIT_KINDS if k.builds):
        times = []
        for _ in range(saves):
            record.edit(kind)
            _wait_for_old_outputs(site)
            times.append(timed_build(site)[0])
        found[kind.label] = Figures(tuple(times))
        say(f"one-change build, {kind.label}: {found[kind.label].cell()} s")
    record.restore()
    return found


def measure_served(server: Server, record: Record, saves: int, pause: float, timeout: float) -> dict[str, Figures]:
    url = f"{server.url}articles/{record.slug}/"
    found = {}
    for kind in EDIT_KINDS:
        times = []
        for _ in range(saves):
            time.sleep(pause)
            shown, started = record.edit(kind)
            wait_until_served(url, shown, timeout)
            times.append(time.perf_counter() - started)
        found[kind.label] = Figures(tuple(times))
        say(f"save → served, {kind.label}: {found[kind.label].cell()} s")
    return found


def find_chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), *CHROMIUM_CANDIDATES):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


LOAD_COUNTER = ("if (window === window.top) sessionStorage.setItem('benchLoads', "
                "String(Number(sessionStorage.getItem('benchLoads') || 0) + 1))")


def _loads(page) -> int:
    """How many times the tab has loaded a page so far."""
    page.wait_for_load_state("load")
    return int(page.evaluate("Number(sessionStorage.getItem('benchLoads') || 0)"))


def browser_missing() -> str:
    """Why the browser column cannot be measured here, or ""."""
    if find_chromium() is None:
        return "chromium not found (/usr/bin/chromium or CHROMIUM_PATH): apt-get install chromium"
    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed in this Python"
    return ""


def measure_in_browser(server: Server, record: Record, other: Record, saves: int, pause: float,
                       timeout: float, executable: str) -> tuple[dict[str, Figures], int]:
    """Save → the open tab shows the edit, per kind; then saves of another
    article: how many times the open tab reloaded."""
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    from playwright.sync_api import sync_playwright

    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page()
            # counted in the tab itself: it survives the reloads it counts
            page.add_init_script(LOAD_COUNTER)
            page.goto(f"{server.url}articles/{record.slug}/")
            for kind in EDIT_KINDS:
                times = []
                for _ in range(saves):
                    time.sleep(pause)
                    shown, started = record.edit(kind)
                    page.wait_for_function("shown => document.body && document.body.innerText.includes(shown)",
                                           arg=shown, timeout=timeout * 1000, polling=10)
                    times.append(time.perf_counter() - started)
                found[kind.label] = Figures(tuple(times))
                say(f"save → tab shows it, {kind.label}: {found[kind.label].cell()} s")
            other_url = f"{server.url}articles/{other.slug}/"
            body = EDIT_KINDS[0]
            time.sleep(pause)
            before = _loads(page)
            for _ in range(saves):
                shown, _started = other.edit(body)
                wait_until_served(other_url, shown, timeout)
                time.sleep(OTHER_ARTICLE_GRACE)  # a reload the build triggers has had time to happen
                time.sleep(pause)
            reloads = _loads(page) - before
            say(f"another article saved {saves} times: the open tab reloaded {reloads} times")
        finally:
            browser.close()
    return found, reloads


def measure_other_over_http(server: Server, other: Record, saves: int, pause: float, timeout: float) -> Figures:
    url = f"{server.url}articles/{other.slug}/"
    times = []
    for _ in range(saves):
        time.sleep(pause)
        shown, started = other.edit(EDIT_KINDS[0])
        wait_until_served(url, shown, timeout)
        times.append(time.perf_counter() - started)
    return Figures(tuple(times))


def measure_size(work: Path, n: int, saves: int, pause: float, timeout: float, browser: bool = True) -> SizeResult:
    site = ensure_corpus(work, n)
    stamp = site.parent / ".stamp"
    record, other = pick_records(site)
    stamp_text = stamp.read_text()
    stamp.unlink()  # until the records have their text back: a killed run regenerates the corpus
    try:
        shutil.rmtree(site / "public", ignore_errors=True)
        shutil.rmtree(site / ".gazette", ignore_errors=True)
        _wait_for_old_outputs(site)
        say(f"{n:,} articles: clean build …")
        clean, clean_mb = timed_build(site)
        say(f"clean build: {clean:.2f} s, {clean_mb:,.0f} MB")
        builds = measure_builds(site, record, saves)
        say("starting gazette serve …")
        started = time.perf_counter()
        server = Server(site, timeout)
        try:
            wait_until_served(f"{server.url}articles/{record.slug}/", "</html>", timeout)
            serve_start = time.perf_counter() - started
            first_mb = server.memory.peak_mb
            say(f"serving {server.url} after {serve_start:.1f} s; {first_mb:,.0f} MB after the first build")
            served = measure_served(server, record, saves, pause, timeout)
            served[OTHER_ARTICLE] = measure_other_over_http(server, other, saves, pause, timeout)
            reloaded, other_reloads, skipped = {}, None, browser_missing() if browser else "--no-browser"
            if not skipped:
                try:
                    reloaded, other_reloads = measure_in_browser(server, record, other, saves, pause, timeout,
                                                                 find_chromium())
                except Exception as exc:  # noqa: BLE001 — the HTTP figures are still worth reporting
                    reloaded, other_reloads = {}, None
                    skipped = f"failed: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
            if skipped:
                say(f"browser column skipped: {skipped}")
            time.sleep(pause)
        finally:
            server.stop()
            log = site.parent / "serve.log"  # what serve printed (its builds), to explain a figure
            log.write_text("\n".join(server.messages) + "\n", encoding="utf-8")
            say(f"serve's messages: {log}")
        saves_mb = server.memory.peak_mb
    finally:
        record.restore()
        other.restore()
        stamp.write_text(stamp_text)
    return SizeResult(n, saves, clean, clean_mb, MappingProxyType(builds), MappingProxyType(served),
                      MappingProxyType(reloaded), skipped, other_reloads, serve_start, first_mb, saves_mb)


# ------------------------------------------------------------------ the report

def _verdict(value: float, target: float) -> str:
    return "met" if value <= target else "**not met**"


def size_table(result: SizeResult) -> list[str]:
    n = result.articles
    lines = [f"### {n:,} articles", "",
             f"Clean build (no public/, no .gazette/): {result.clean_build:.2f} s, peak {result.clean_build_mb:,.0f} MB. "
             f"`gazette serve`: the article served {result.serve_start:.1f} s after the start; peak memory of its "
             f"process tree {result.serve_first_mb:,.0f} MB up to then (its first build), "
             f"{result.serve_saves_mb:,.0f} MB over all the saves.", "",
             f"| Edit ({result.saves} saves each) | Save → served page (s) | Save → tab reloaded (s) "
             "| One-change build (s) | Build / clean build |",
             "|---|---:|---:|---:|---:|"]
    no_browser = f"skipped: {result.browser_skipped}" if result.browser_skipped else "—"
    for label in [k.label for k in EDIT_KINDS] + [OTHER_ARTICLE]:
        served = result.served[label].cell() if label in result.served else "—"
        if label == OTHER_ARTICLE:
            reloaded = (no_browser if result.other_reloads is None
                        else f"open tab (first article) reloaded {result.other_reloads} of {result.saves} times")
        else:
            reloaded = result.reloaded[label].cell() if label in result.reloaded else no_browser
        build = result.builds.get(label)
        ratio = f"{build.median / result.clean_build:.2f}" if build else "—"
        lines.append(f"| {label} | {served} | {reloaded} | {build.cell() if build else '—'} | {ratio} |")
    lines += ["", "| Target | Value (slowest edit kind, median) | Target | |", "|---|---:|---:|---|"]
    if result.reloaded:
        label, figures = max(result.reloaded.items(), key=lambda item: item[1].median)
        target = RELOAD_TARGETS.get(n)
        lines.append(f"| save → tab reloaded ({label}) | {figures.median:.2f} s | "
                     + (f"≤ {target:g} s | {_verdict(figures.median, target)} |" if target
                        else "≤ 1 s at 10,000, ≤ 3 s at 100,000 | no target at this size |"))
    if result.builds:
        label, figures = max(result.builds.items(), key=lambda item: item[1].median)
        ratio = figures.median / result.clean_build
        target = ONE_CHANGE_TARGETS.get(n)
        lines.append(f"| one-change build / clean build ({label}) | {ratio:.2f} | "
                     + (f"≤ {target:g} | {_verdict(ratio, target)} |" if target
                        else "≤ 0.1 at 10,000 | no target at this size |"))
    return lines + [""]


def _git_revision() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True).stdout.strip()

    # the code measured: the last commit that changed it, not a bench-only commit after it
    last = git("log", "-1", "--format=%h", "--", "generator", "themes")
    dirty = git("status", "--porcelain", "--", "generator", "themes")
    return f"generator/ and themes/ as at git {last}{' with uncommitted changes' if dirty else ''}"


def machine() -> str:
    cpu = "?"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{cpu}, {os.cpu_count()} cores, load average at the end {load}"


def section(results: list[SizeResult], command: str, pause: float) -> str:
    lines = [
        SECTION_HEADING, "",
        "Written by `bench/serve_latency.py` (bench/README.md says what each figure means). "
        "Every figure below comes from the same run.", "",
        f"- Date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- Command: `{command}`",
        f"- Machine: {machine()}",
        f"- Gazette: {_git_revision()}",
        f"- Sizes: {', '.join(f'{r.articles:,}' for r in results)} articles; figures are the median "
        f"(min–max) of the saves, {pause:g} s apart; the clock starts right before the save.",
        "- Targets: save → reloaded ≤ 1 s at 10,000 articles, ≤ 3 s at 100,000; "
        "one-change build ≤ 0.1 × clean build at 10,000.", "",
    ]
    for result in results:
        lines += size_table(result)
    return "\n".join(lines).rstrip("\n") + "\n"


def replace_section(document: str, heading: str, body: str) -> str:
    """document with the section that starts at `heading` (up to the next
    heading of the same or a higher level) replaced by body, or body
    appended when there is no such section. The rest is kept as it is."""
    level = len(heading) - len(heading.lstrip("#"))
    lines = document.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == heading), None)
    body = body.rstrip("\n") + "\n"
    if start is None:
        kept = document.rstrip("\n")
        return (kept + "\n\n" if kept else "") + body
    end = start + 1
    fence = False
    while end < len(lines):
        line = lines[end]
        if line.startswith("```"):
            fence = not fence  # a "#" in a code block is not a heading
        elif not fence and re.match(r"#{1,%d} " % level, line):
            break
        end += 1
    after = "".join(lines[end:])
    return "".join(lines[:start]) + body + ("\n" + after if after else "")


# ------------------------------------------------------------------ main

def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated article counts (default 1000,10000)")
    parser.add_argument("--saves", type=int, default=7, help="saves (and one-change builds) per edit kind (default 7)")
    parser.add_argument("--pause", type=float, default=1.5, help="seconds between saves (default 1.5)")
    parser.add_argument("--timeout", type=float, default=900, help="longest wait for one change, in s (default 900)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/gazette-serve-bench"),
                        help="where the corpora are kept between runs (default /tmp/gazette-serve-bench)")
    parser.add_argument("--no-browser", action="store_true", help="leave out the chromium column")
    parser.add_argument("--write-results", action="store_true",
                        help=f"also write the section into {RESULTS.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes must be numbers separated by commas, not {args.sizes!r}")
    if not args.sizes or min(args.sizes) < 10 or args.saves < 1 or args.pause < 0:
        parser.error("sizes must be at least 10, --saves at least 1, --pause not negative")
    return args


def _stop_on_sigterm(signum, frame) -> None:
    raise KeyboardInterrupt  # so that the finally blocks stop the server and restore the records


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    # a shell's `cmd &` starts us with SIGINT ignored, and the servers would inherit
    # that: a handler (reset to the default in a child) keeps Ctrl-C working for both
    signal.signal(signal.SIGINT, signal.default_int_handler)
    command = shlex.join(["python", "bench/serve_latency.py", *argv])
    results = []
    for n in args.sizes:
        results.append(measure_size(args.work, n, args.saves, args.pause, args.timeout,
                                    browser=not args.no_browser))
        text = section(results, command, args.pause)
        if args.write_results:  # after each size: a long run that fails later keeps what it measured
            old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
            RESULTS.write_text(replace_section(old, SECTION_HEADING, text), encoding="utf-8")
            say(f"written into {RESULTS}")
    print(text)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # the servers are stopped and the records restored by then
        say("interrupted")
        sys.exit(130)
