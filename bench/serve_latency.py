"""Save-to-reload latency of `gazette serve` on a generated archive.

    .venv/bin/python bench/serve_latency.py [--articles 1000] [--saves 7] [--work DIR]

Generates N articles with bench/make_corpus.py (Gazette records, no NLP),
starts the real `gazette serve --port 0` on it, opens one article in
Debian's chromium (Playwright), then, `--saves` times: appends a sentence
to that article's record and measures the wall time from the save to the
moment the open page has reloaded and shows the sentence. Without chromium
it measures up to the moment the served page has the sentence instead.

Baseline, measured in the same run: `gazette build` of the same site with
one record changed (the build every save triggers), so the report shows how
much the preview adds (debounce, reload) on top of the build itself.
Prints medians (and min–max) of the runs.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH_DIR))

from make_corpus import write_corpus  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _gazette(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator", *args]


def _append(record: Path, sentence: str) -> None:
    """Add a sentence at the end of the record's body (a hand edit)."""
    text = record.read_text(encoding="utf-8")
    record.write_text(text.rstrip("\n") + f"\n\n{sentence}\n", encoding="utf-8")


def _summary(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f}, n={len(values)})"


def measure_build(site: Path, record: Path, runs: int) -> list[float]:
    """`gazette build` after a one-record change, `runs` times."""
    times = []
    for run in range(runs):
        _append(record, f"Phrase de référence numéro {run}.")
        started = time.perf_counter()
        subprocess.run(_gazette("build", "--site", str(site), "-q"), cwd=ROOT, check=True)
        times.append(time.perf_counter() - started)
    return times


class Server:
    """`gazette serve --port 0` in a subprocess; collects its messages."""

    def __init__(self, site: Path):
        self.process = subprocess.Popen(
            _gazette("serve", "--site", str(site), "--port", "0"), cwd=ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "NO_COLOR": "1"},
        )
        self.messages: list[str] = []
        for line in self.process.stdout:
            if line.startswith("Serving "):
                self.url = line.split()[1]
                break
        else:
            raise SystemExit("gazette serve did not start:\n" + self.process.stderr.read())
        for stream in (self.process.stdout, self.process.stderr):
            threading.Thread(target=self._collect, args=(stream,), daemon=True).start()

    def _collect(self, stream) -> None:
        for line in stream:
            self.messages.append(line.rstrip())

    def build_seconds(self) -> list[float]:
        found = (re.search(r"built in ([0-9.]+) s \(", m) for m in self.messages)
        return [float(m.group(1)) for m in found if m]

    def stop(self) -> None:
        self.process.send_signal(2)  # SIGINT, as Ctrl-C
        self.process.wait(timeout=60)


def _chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def measure_in_browser(server: Server, record: Path, page_url: str, saves: int, executable: str) -> list[float]:
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        page.goto(page_url)
        page.wait_for_function("window.__gazetteLiveReload === true")
        for save in range(saves):
            time.sleep(1.0)  # let the event stream settle between saves
            marker = f"Phrase ajoutée pendant la mesure {save} {time.time_ns()}."
            started = time.perf_counter()
            _append(record, marker)
            page.wait_for_function(f"document.body.innerText.includes({marker!r})", timeout=120_000, polling=10)
            times.append(time.perf_counter() - started)
        browser.close()
    return times


def measure_over_http(record: Path, page_url: str, saves: int) -> list[float]:
    times = []
    for save in range(saves):
        time.sleep(1.0)
        marker = f"Phrase ajoutée pendant la mesure {save} {time.time_ns()}."
        started = time.perf_counter()
        _append(record, marker)
        while marker not in urllib.request.urlopen(page_url, timeout=30).read().decode():
            time.sleep(0.01)
        times.append(time.perf_counter() - started)
    return times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="articles in the site (default 1000)")
    parser.add_argument("--saves", type=int, default=7, help="saves measured (default 7)")
    parser.add_argument("--work", type=Path, help="work folder (default: a temporary one, deleted after)")
    args = parser.parse_args(argv)

    work = args.work or Path(tempfile.mkdtemp(prefix="gazette-serve-bench-"))
    try:
        write_corpus(args.articles, work, formats=("gazette",))
        site = work / "gazette"
        shutil.rmtree(site / "public", ignore_errors=True)
        shutil.rmtree(site / ".gazette", ignore_errors=True)
        subprocess.run(_gazette("build", "--site", str(site), "-q"), cwd=ROOT, check=True)  # warm the cache
        record = sorted((site / "content").glob("*.md"))[len(list((site / "content").glob("*.md"))) // 2]
        baseline = measure_build(site, record, args.saves)

        server = Server(site)
        try:
            page_url = f"{server.url}articles/{record.stem}/"
            urllib.request.urlopen(page_url, timeout=30).read()
            executable = _chromium()
            if executable:
                how = "save → page reloaded in chromium"
                latency = measure_in_browser(server, record, page_url, args.saves, executable)
            else:
                how = "save → served page changed (no chromium: HTTP polling)"
                latency = measure_over_http(record, page_url, args.saves)
        finally:
            server.stop()
        builds = server.build_seconds()
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)

    print(f"site: {args.articles} articles; {args.saves} saves of one record")
    print(f"baseline  gazette build after a one-record change: {_summary(baseline)}")
    if builds:
        print(f"serve     build inside the preview:                 {_summary(builds)}")
    print(f"latency   {how}: {_summary(latency)}")
    if len(builds) == len(latency):
        # paired per save: what the preview adds to its own build (debounce, event, reload)
        overhead = [total - build for total, build in zip(latency, builds)]
        print(f"overhead  latency − build of the same save:          {_summary(overhead)}")
    print(f"ratio     latency / baseline build (medians): {statistics.median(latency) / statistics.median(baseline):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
