"""How Gazette's costs grow with the archive: cold build time, CPU time and
peak memory per phase at several sizes, ingest throughput by number of
workers, a least-squares fit per phase, and what it implies at 1,000,000
and 10,000,000 articles.

    python bench/scaling.py [--sizes 10000,30000,100000|none] [--ingest-size 1000]
                            [--work bench/work/scaling] [--gazette head|worktree|REV] [--write]

Like bench/run.py (whose helpers it imports), it re-runs itself inside the
bench's virtual environment (psutil) and runs Gazette with the project's
Python. After one untimed warm-up build (the machine-wide gazetteer cache),
for each size N: generates N records (bench/make_corpus.py, no NLP, kept in
WORK/corpus-N), runs a cold `gazette build -v` (no output folder, no
.gazette/) and reads its lap lines ("<phase>: 1.23 s (peak memory so far
456 MiB)") as they are printed, while the whole process tree's resident
memory and CPU time (Pagefind's processes included) are sampled every
50 ms; each phase gets the samples between its lap line and the one
before. Then fits wall seconds, CPU seconds and megabytes = a + b·N per
phase, and a power law's exponent.

Ingest (raw seeds → records, enrichment on, empty cache), articles per
second and per CPU second, model loading included:

  local, 1 / 2 enrichment processes   `gazette ingest` with the Enricher's
                                      process count fixed (as a program
                                      embedding Gazette does: main(obj=…));
                                      1 process on half the seeds too
  enrichment cache kept               the same seeds again, no NLP: what
                                      one client does per article besides
                                      NLP (its ceiling)
  --scheduler local:2                 a LocalCluster of 2 worker processes
  2+2                                 one `dask scheduler` and two
                                      `dask worker --nworkers 2` processes,
                                      as two 2-core machines would join

The scheduler rows print "skipped: no --scheduler" when `gazette ingest
--help` does not offer the option. `--write` puts the tables and the
extrapolation between the markers of "## Scaling" in bench/README.md
(the plan's prose around them is written by hand and kept).
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import math
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:  # run.py sits next to this file
    sys.path.insert(0, str(BENCH))

from run import (ARGV_ENV, MEMORY_LIMIT_GB, PROJECT_PYTHON_ENV, ROOT, WORK, _file_digest, _hwm_bytes,  # noqa: E402
                 _wait_for_old_outputs, count_pages, empty_trash, ensure_bench_venv, in_bench_venv, machine,
                 remove, say, settle, snapshot)

README = BENCH / "README.md"
START_MARKER = "<!-- scaling.py --write: from here to the end marker, replaced by each run -->"
END_MARKER = "<!-- scaling.py --write: end -->"
SECTION_HEADING = "## Scaling (`bench/scaling.py`)"
PLAN_SIZES = (1_000_000, 10_000_000)
INGEST_HOURS = 1.0  # the plan: workers for an ingest that ends within this
SAMPLE_SECONDS = 0.05
TIMEOUT = 3 * 3600
OTHER_PHASE = "start-up and exit"  # the process's time outside the build's laps
LAP = re.compile(r"^(?P<label>.+?): (?P<seconds>\d+(?:\.\d+)?) s \(peak memory so far (?P<mib>\d+) MiB\)\s*$")


# ------------------------------------------------------------------ pure parts (tests/test_bench_scaling.py)

@dataclass(frozen=True)
class Lap:
    label: str
    seconds: float  # as the build reports it
    self_peak_mib: int  # the build process's own high-water mark so far
    at: float  # when the line was read (time.perf_counter())


@dataclass(frozen=True)
class Phase:
    label: str
    seconds: float
    peak_mb: float  # largest resident memory of the process tree during the phase
    cpu_seconds: float = 0.0  # CPU time of the process tree during the phase (user + system)


def parse_lap(line: str, at: float) -> Lap | None:
    """The lap a `gazette build -v` line reports, or None for any other line."""
    match = LAP.match(line.strip())
    if not match:
        return None
    return Lap(match["label"], float(match["seconds"]), int(match["mib"]), at)


def _cpu_at(cpu: list[tuple[float, float]], moment: float) -> float:
    """The tree's CPU seconds used up to `moment` (the last sample at or before it)."""
    return max((used for t, used in cpu if t <= moment), default=0.0)


def phases_of(laps: list[Lap], samples: list[tuple[float, int]], start: float, end: float,
              cpu: list[tuple[float, float]] = ()) -> list[Phase]:
    """Each lap's phase with the peak memory sampled in its window (after
    the previous lap line, up to its own), and a last phase for what the
    laps leave out (interpreter start-up, imports, exit).

    A build's own high-water mark rising during a phase means the build
    process alone reached it then: the phase's peak is at least that, even
    if no sample caught the moment. CPU time: what the tree used between
    the samples nearest the two lap lines (it moves much less than wall
    time when other work shares the machine)."""
    phases, previous, self_peak, seen = [], start, 0, {}
    for lap in laps:
        window = [rss for t, rss in samples if previous < t <= lap.at]
        if not window and samples:  # a phase shorter than the sampling period: the moment nearest its end
            window = [min(samples, key=lambda sample: abs(sample[0] - lap.at))[1]]
        peak = max(window, default=0)
        if lap.self_peak_mib > self_peak:
            peak = max(peak, lap.self_peak_mib * 2**20)
            self_peak = lap.self_peak_mib
        seen[lap.label] = seen.get(lap.label, 0) + 1
        label = lap.label if seen[lap.label] == 1 else f"{lap.label} ({seen[lap.label]})"
        phases.append(Phase(label, lap.seconds, peak / 2**20, _cpu_at(cpu, lap.at) - _cpu_at(cpu, previous)))
        previous = lap.at
    rest = [rss for t, rss in samples if t > previous]
    other = max(0.0, (end - start) - sum(lap.seconds for lap in laps))
    phases.append(Phase(OTHER_PHASE, other, max(rest, default=0) / 2**20, _cpu_at(cpu, end) - _cpu_at(cpu, previous)))
    return phases


@dataclass(frozen=True)
class Fit:
    """y = a + b·N, least squares."""
    a: float
    b: float
    points: int

    def at(self, n: float) -> float:
        return self.a + self.b * n


def fit_line(points: list[tuple[float, float]]) -> Fit:
    """Ordinary least squares of y on N; needs two different N."""
    if len({n for n, _ in points}) < 2:
        raise ValueError("a fit needs measurements at two sizes or more")
    count = len(points)
    mean_n = sum(n for n, _ in points) / count
    mean_y = sum(y for _, y in points) / count
    b = sum((n - mean_n) * (y - mean_y) for n, y in points) / sum((n - mean_n) ** 2 for n, _ in points)
    return Fit(mean_y - b * mean_n, b, count)


@dataclass(frozen=True)
class PowerFit:
    """y = c·N^k, least squares on the logarithms: k near 1 is linear growth,
    k well above 1 says the straight line will underestimate far out."""
    c: float
    k: float

    def at(self, n: float) -> float:
        return self.c * n ** self.k


def fit_power(points: list[tuple[float, float]]) -> PowerFit | None:
    """The power law through the points, or None when a value is not positive."""
    if any(n <= 0 or y <= 0 for n, y in points):
        return None
    line = fit_line([(math.log(n), math.log(y)) for n, y in points])
    return PowerFit(math.exp(line.a), line.b)


def workers_for(articles: int, rate_per_worker: float, hours: float = INGEST_HOURS) -> int:
    """Workers (one core each) for an ingest of `articles` within `hours`."""
    if rate_per_worker <= 0:
        raise ValueError("the rate per worker must be positive")
    return max(1, math.ceil(articles / (rate_per_worker * hours * 3600)))


def replace_between_markers(document: str, body: str, heading: str = SECTION_HEADING,
                            start: str = START_MARKER, end: str = END_MARKER) -> str:
    """document with what lies between the markers replaced by body; without
    the markers, a new section (heading, markers, body) at the end. Text
    outside the markers is kept as it is."""
    block = f"{start}\n\n{body.strip()}\n\n{end}"
    if start in document:
        before, rest = document.split(start, 1)
        if end not in rest:
            raise ValueError(f"{README.name}: the start marker has no end marker after it")
        return before + block + rest.split(end, 1)[1]
    if end in document:
        raise ValueError(f"{README.name}: an end marker without the start marker")
    kept = document.rstrip("\n")
    return (kept + "\n\n" if kept else "") + f"{heading}\n\n{block}\n"


# ------------------------------------------------------------------ measuring a process tree

@dataclass
class Measured:
    seconds: float
    returncode: int | None
    peak_bytes: int
    samples: list[tuple[float, int]]  # (when, resident bytes of the tree)
    cpu: list[tuple[float, float]]  # (when, CPU seconds the tree has used so far)
    lines: list[tuple[float, str]]
    start: float
    end: float
    stopped: str = ""


def _tree_sample(roots, hwm: dict[int, int]) -> tuple[int, float]:
    """(resident bytes, CPU seconds so far) of the trees; a process's CPU
    includes its children already ended (and waited for), so the sum does
    not drop when a worker ends."""
    import psutil

    total, cpu = 0, 0.0
    for root in roots:
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.Error:
            continue
        for p in tree:
            try:
                total += p.memory_info().rss
                times = p.cpu_times()
                cpu += times.user + times.system + times.children_user + times.children_system
                hwm[p.pid] = max(hwm.get(p.pid, 0), _hwm_bytes(p.pid))
            except psutil.Error:
                pass
    return total, cpu


def measure_tree(cmd: list[str], log: Path, *, cwd: Path, env: dict[str, str], limit_gb: float,
                 also: tuple[int, ...] = ()) -> Measured:
    """Run cmd; its output lines with the time each was read, the resident
    memory of its process tree (and of the trees of the pids in `also`)
    every 50 ms, wall time. Stopped past `limit_gb` or TIMEOUT."""
    import psutil

    log.parent.mkdir(parents=True, exist_ok=True)
    lines: list[tuple[float, str]] = []
    with open(log, "w", encoding="utf-8") as out:
        out.write(f"$ {shlex.join(cmd)}\n")
        start = time.perf_counter()
        proc = psutil.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, text=True, errors="replace", bufsize=1)

        def read() -> None:
            for line in proc.stdout:
                now = time.perf_counter()
                lines.append((now, line.rstrip("\n")))
                out.write(f"{now - start:9.3f} {line}")

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        try:
            roots = [proc, *(psutil.Process(pid) for pid in also)]
            samples, cpu, hwm, stopped = _sample_until_done(proc, roots, start, limit_gb)
        except BaseException:  # Ctrl-C, SIGTERM: the measured tree goes too
            _kill_tree(proc)
            raise
        end = time.perf_counter()
        reader.join(timeout=10)
    peak = max([s for _, s in samples] + list(hwm.values()) + [0])
    return Measured(end - start, proc.returncode, peak, samples, cpu, lines, start, end, stopped)


def _kill_tree(proc) -> None:
    import psutil

    try:
        tree = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        tree = [proc]
    for p in reversed(tree):
        try:
            p.kill()
        except psutil.Error:
            pass
    proc.wait()


def _sample_until_done(proc, roots, start: float, limit_gb: float):
    """Samples every SAMPLE_SECONDS until proc ends or passes a limit (then it is killed)."""
    samples, cpu, hwm, stopped = [], [], {}, ""
    while True:
        now = time.perf_counter()
        rss, used = _tree_sample(roots, hwm)
        samples.append((now, rss))
        cpu.append((now, max(used, cpu[-1][1] if cpu else 0.0)))  # a process ending between samples: no dip
        if proc.poll() is not None:
            return samples, cpu, hwm, stopped
        if time.perf_counter() - start > TIMEOUT:
            stopped = f"stopped after {TIMEOUT} s"
        elif samples[-1][1] > limit_gb * 2**30:
            stopped = f"stopped at {samples[-1][1] / 2**30:.1f} GB (limit {limit_gb:g} GB, --max-memory-gb)"
        if stopped:
            _kill_tree(proc)
            return samples, cpu, hwm, stopped
        time.sleep(SAMPLE_SECONDS)


def _tail(measured: Measured, count: int = 6) -> str:
    return " / ".join(line.strip() for _, line in measured.lines[-count:] if line.strip())[:500]


# ------------------------------------------------------------------ Gazette

@dataclass(frozen=True)
class Setup:
    python: Path  # the project's Python
    gazette_cwd: Path  # generator/ is imported from here
    source: str  # which code, for the report
    work: Path
    limit_gb: float

    def env(self) -> dict[str, str]:
        path = os.pathsep.join(p for p in (str(self.gazette_cwd), os.environ.get("PYTHONPATH", "")) if p)
        return {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1", "PYTHONPATH": path}

    def gazette(self, *args: str) -> list[str]:
        return [str(self.python), "-m", "generator", *args]


def ensure_corpus(setup: Setup, n: int, formats: str, name: str = "corpus") -> Path:
    """WORK/<name>-N in make_corpus.py's `formats`, regenerated when make_corpus.py changed."""
    out = setup.work / f"{name}-{n}"
    stamp = out / ".stamp"
    digest = f"{_file_digest(BENCH / 'make_corpus.py')} {formats}"
    if stamp.exists() and stamp.read_text() == digest:
        return out
    say(f"generating {n:,} articles ({formats}) into {out} …")
    remove(stamp)
    subprocess.run([str(setup.python), str(BENCH / "make_corpus.py"), str(n), str(out), "--formats", formats],
                   check=True, cwd=ROOT, env=setup.env(), stdout=subprocess.DEVNULL)
    stamp.write_text(digest)
    return out


@dataclass(frozen=True)
class BuildResult:
    articles: int
    seconds: float
    peak_mb: float
    pages: int
    phases: tuple[Phase, ...]
    load: float  # 1-minute load average when it started
    failed: str = ""
    output_mb: float = 0.0  # the output folder's files
    cpu_seconds: float = 0.0  # CPU time of the whole tree


def warm_up(setup: Setup) -> None:
    """One untimed build of a few articles first: it fills the machine-wide
    cache (the gazetteer's tables, ~/.cache/gazette) that every cold build
    of this code then finds, so that the first size measured does not pay
    for it alone (it cost 8 s at 2,000 articles, the "places located" phase)."""
    site = ensure_corpus(setup, 50, "gazette", name="warm-up") / "gazette"
    out = setup.work / "out-warm-up"
    remove(out, site / ".gazette")
    subprocess.run(setup.gazette("build", "--site", str(site), "--output", str(out), "-q"), check=True,
                   cwd=setup.gazette_cwd, env=setup.env())
    _wait_for_old_outputs(out)
    remove(out)


def cold_build(setup: Setup, n: int, logs: Path) -> BuildResult:
    site = ensure_corpus(setup, n, "gazette") / "gazette"
    out = setup.work / f"out-{n}"
    remove(out, site / ".gazette")
    settle()
    load = os.getloadavg()[0]
    say(f"cold build of {n:,} articles (load {load:.2f}) …")
    m = measure_tree(setup.gazette("build", "--site", str(site), "--output", str(out), "-v"),
                     logs / f"build-{n}.log", cwd=setup.gazette_cwd, env=setup.env(), limit_gb=setup.limit_gb)
    if m.stopped or m.returncode:
        why = m.stopped or f"exit {m.returncode}: {_tail(m)}"
        say(f"build of {n:,} failed: {why}")
        return BuildResult(n, m.seconds, m.peak_bytes / 2**20, 0, (), load, failed=why)
    _wait_for_old_outputs(out)
    laps = [lap for at, line in m.lines if (lap := parse_lap(line, at))]
    phases = tuple(phases_of(laps, m.samples, m.start, m.end, m.cpu))
    pages = count_pages(out)
    output_mb = sum(f.stat().st_size for f in out.rglob("*") if f.is_file()) / 2**20
    remove(out)  # gigabytes at 100,000 articles, on a shared disk
    say(f"  {m.seconds:.1f} s ({m.cpu[-1][1] if m.cpu else 0:.1f} s of CPU), {m.peak_bytes / 2**20:,.0f} MB, "
        f"{pages:,} pages, {len(laps)} phases")
    return BuildResult(n, m.seconds, m.peak_bytes / 2**20, pages, phases, load, output_mb=output_mb,
                       cpu_seconds=m.cpu[-1][1] if m.cpu else 0.0)


# ------------------------------------------------------------------ ingest

@dataclass(frozen=True)
class IngestResult:
    key: str  # which setting, for the plan: local-1-half, local-1, local-2, client, local-cluster, two-plus-two
    setting: str
    workers: str
    articles: int = 0
    seconds: float = 0.0
    peak_mb: float = 0.0
    load: float = 0.0
    skipped: str = ""
    cpu_seconds: float = 0.0  # of the command's tree (a 2+2 cluster's processes included)

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    @property
    def cpu_rate(self) -> float:
        """Articles per CPU second: what one worker does on a core of its own."""
        return self.articles / self.cpu_seconds if self.cpu_seconds else 0.0


def scheduler_missing(setup: Setup) -> str:
    """Why `gazette ingest --scheduler` cannot be measured, or ""."""
    help_text = subprocess.run(setup.gazette("ingest", "--help"), capture_output=True, text=True,
                               cwd=setup.gazette_cwd, env=setup.env()).stdout
    return "" if "--scheduler" in help_text else "skipped: no --scheduler"


def distributed_missing(setup: Setup) -> str:
    probe = subprocess.run([str(setup.python), "-c", "import distributed"], capture_output=True, text=True,
                           env=setup.env())
    return "" if probe.returncode == 0 else "skipped: dask distributed is not installed in the project's Python"


def _records(site: Path) -> int:
    return sum(1 for _ in (site / "content").glob("*.md"))


def _timed_ingest(setup: Setup, key: str, setting: str, workers: str, cmd: list[str], site: Path, logs: Path, *,
                  keep_cache: bool = False, also: tuple[int, ...] = ()) -> IngestResult:
    remove(site / "content", *(() if keep_cache else (site / ".gazette",)))
    settle()
    load = os.getloadavg()[0]
    slug = re.sub(r"[^a-z0-9]+", "-", setting.lower()).strip("-")
    m = measure_tree(cmd, logs / f"ingest-{slug}.log", cwd=setup.gazette_cwd, env=setup.env(),
                     limit_gb=setup.limit_gb, also=also)
    if m.stopped or m.returncode:
        why = m.stopped or f"failed (exit {m.returncode}): {_tail(m)}"
        say(f"ingest, {setting}: {why}")
        return IngestResult(key, setting, workers, skipped=why, load=load)
    result = IngestResult(key, setting, workers, _records(site), m.seconds, m.peak_bytes / 2**20, load,
                          cpu_seconds=m.cpu[-1][1] if m.cpu else 0.0)
    say(f"ingest, {setting}: {result.articles:,} records in {m.seconds:.1f} s = {result.rate:.1f}/s "
        f"({result.cpu_seconds:.1f} s of CPU), {result.peak_mb:,.0f} MB (load {load:.2f})")
    return result


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dask(setup: Setup) -> list[str]:
    cli = setup.python.parent / "dask"
    return [str(cli)] if cli.exists() else [str(setup.python), "-m", "dask"]


def _stop(procs: list[subprocess.Popen]) -> None:
    for proc in reversed(procs):
        if proc.poll() is None:
            proc.terminate()
    for proc in reversed(procs):
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _two_plus_two(setup: Setup, seeds: Path, site: Path, logs: Path) -> IngestResult:
    """One scheduler and two worker processes of 2 single-thread workers each,
    on 127.0.0.1, started before the clock (as a standing cluster would be)."""
    setting, workers = TWO_PLUS_TWO, "4 (2 + 2)"
    address = f"tcp://127.0.0.1:{_free_port()}"
    logs.mkdir(parents=True, exist_ok=True)
    procs: list[subprocess.Popen] = []
    try:
        def start(args: list[str], name: str) -> None:
            log = open(logs / f"{name}.log", "w")
            procs.append(subprocess.Popen([*_dask(setup), *args], cwd=setup.gazette_cwd, env=setup.env(),
                                          stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL))
            log.close()  # the child holds its own copy

        start(["scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard"],
              "dask-scheduler")
        for i in (1, 2):
            start(["worker", address, "--nworkers", "2", "--nthreads", "1", "--host", "127.0.0.1",
                   "--no-dashboard", "--memory-limit", "0"], f"dask-worker-{i}")
        ready = subprocess.run(
            [str(setup.python), "-c",
             "import sys; from distributed import Client\n"
             "with Client(sys.argv[1], timeout=60) as c: c.wait_for_workers(4, timeout=120)", address],
            capture_output=True, text=True, env=setup.env(), timeout=240)
        if ready.returncode:
            last = (ready.stderr.strip().splitlines() or ["?"])[-1]
            return IngestResult("two-plus-two", setting, workers, skipped=f"the cluster did not start: {last}")
        cmd = setup.gazette("ingest", "--site", str(site), str(seeds), "-q", "--scheduler", address)
        return _timed_ingest(setup, "two-plus-two", setting, workers, cmd, site, logs,
                             also=tuple(p.pid for p in procs))
    finally:
        _stop(procs)


TWO_PLUS_TWO = "2+2: `dask scheduler` + 2 × `dask worker --nworkers 2`"
LOCAL_CLUSTER = "`--scheduler local:2` (LocalCluster)"


def ingest_rows(setup: Setup, n: int, logs: Path) -> list[IngestResult]:
    """The settings in turn on one site; one process on half the seeds too,
    to tell its start-up (model load) from its cost per article."""
    site = setup.work / f"ingest-{n}"
    site.mkdir(parents=True, exist_ok=True)
    full = ensure_corpus(setup, n, "gazette,seeds", name="seeds")
    half = ensure_corpus(setup, max(1, n // 2), "gazette,seeds", name="seeds")
    (site / "site.toml").write_bytes((full / "gazette" / "site.toml").read_bytes())
    seeds = full / "seeds"
    here = str(Path(__file__).resolve())

    def local(processes: int, corpus: Path = full) -> list[str]:
        return [str(setup.python), here, "--ingest-worker", str(site), str(corpus / "seeds"), str(processes)]

    rows = [_timed_ingest(setup, "local-1-half", f"local, 1 enrichment process, {max(1, n // 2):,} seeds", "1",
                          local(1, half), site, logs),
            _timed_ingest(setup, "local-1", "local, 1 enrichment process", "1", local(1), site, logs),
            _timed_ingest(setup, "local-2", "local, 2 enrichment processes", "2", local(2), site, logs)]
    if rows[-1].articles:  # its enrichment cache is there: the same again without NLP
        rows.append(_timed_ingest(setup, "client", "one process, enrichment cache kept (no NLP)", "0", local(1),
                                  site, logs, keep_cache=True))
    missing = scheduler_missing(setup)
    if missing:
        say(f"ingest with a scheduler: {missing}")
        return rows + [IngestResult("local-cluster", LOCAL_CLUSTER, "2", skipped=missing),
                       IngestResult("two-plus-two", TWO_PLUS_TWO, "4 (2 + 2)", skipped=missing)]
    rows.append(_timed_ingest(setup, "local-cluster", LOCAL_CLUSTER, "2",
                              setup.gazette("ingest", "--site", str(site), str(seeds), "-q", "--scheduler", "local:2"),
                              site, logs))
    missing = distributed_missing(setup)
    rows.append(IngestResult("two-plus-two", TWO_PLUS_TWO, "4 (2 + 2)", skipped=missing) if missing
                else _two_plus_two(setup, seeds, site, logs))
    return rows


def steady_rate(rows: list[IngestResult]) -> tuple[float, float] | None:
    """(articles per second, start-up seconds) of one enrichment process on a
    core of its own, from its runs on half and all the seeds: the model load
    told apart. CPU seconds when measured (wall time on a shared machine
    says more about the others' work than about this one)."""
    runs = {r.key: r for r in rows if not r.skipped and r.articles}
    if "local-1-half" not in runs or "local-1" not in runs:
        return None
    half, full = runs["local-1-half"], runs["local-1"]
    if half.articles == full.articles:
        return None
    if half.cpu_seconds and full.cpu_seconds:
        fit = fit_line([(half.articles, half.cpu_seconds), (full.articles, full.cpu_seconds)])
    else:
        fit = fit_line([(half.articles, half.seconds), (full.articles, full.seconds)])
    return (1 / fit.b, fit.a) if fit.b > 0 else None


def ingest_worker(site: Path, seeds: Path, processes: int) -> int:
    """`gazette ingest` with the Enricher's process count fixed (runs in the project's Python)."""
    from generator.cli import main as gazette
    from generator.config import load_config
    from generator.enrich import Enricher
    from generator.report import Reporter

    enricher = Enricher(load_config(site), Reporter(quiet=True), processes=processes)
    try:
        gazette.main(["ingest", "--site", str(site), str(seeds), "-q"], obj={"enricher": enricher},
                     standalone_mode=False)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


# ------------------------------------------------------------------ the report

def _mb(value: float) -> str:
    return f"{value / 1024:,.1f} GB" if value >= 10_240 else f"{value:,.0f} MB"


def _duration(seconds: float) -> str:
    if seconds >= 5400:
        return f"{seconds / 3600:,.1f} h"
    if seconds >= 120:
        return f"{seconds / 60:,.0f} min"
    return f"{seconds:,.1f} s"


@dataclass(frozen=True)
class PhaseFit:
    time: Fit  # wall seconds
    memory: Fit  # MB
    time_power: PowerFit | None  # of the CPU time: wall time on a shared machine is too noisy for an exponent
    memory_power: PowerFit | None
    cpu: Fit | None = None  # CPU seconds


def phase_fits(builds: list[BuildResult]) -> dict[str, PhaseFit]:
    """Per phase (in the order of the largest build), then "total", the time
    and memory fits; a phase measured at fewer than two sizes has none."""
    done = [b for b in builds if not b.failed]
    order = [p.label for p in max(done, key=lambda b: b.articles).phases] if done else []
    fits = {}
    for label in [*order, "total"]:
        times, memory, cpu = [], [], []
        for build in done:
            phase = next((p for p in build.phases if p.label == label), None)
            if label == "total":
                times.append((build.articles, build.seconds))
                memory.append((build.articles, build.peak_mb))
                cpu.append((build.articles, build.cpu_seconds))
            elif phase is not None:
                times.append((build.articles, phase.seconds))
                memory.append((build.articles, phase.peak_mb))
                cpu.append((build.articles, phase.cpu_seconds))
        if len({n for n, _ in times}) >= 2:
            fits[label] = PhaseFit(fit_line(times), fit_line(memory), fit_power(cpu), fit_power(memory),
                                   fit_line(cpu))
    return fits


def _k(power: PowerFit | None) -> str:
    return f"{power.k:.2f}" if power else ""


def build_table(builds: list[BuildResult], fits: dict[str, PhaseFit]) -> list[str]:
    done = [b for b in builds if not b.failed]
    head = "| Phase | " + " | ".join(f"{b.articles:,}: s | {b.articles:,}: CPU s | {b.articles:,}: MB" for b in done)
    head += (" | wall: ms/article (b) | wall: a (s) | CPU: ms/article (b) | CPU: k | memory: KB/article (b) "
             "| memory: a (MB) | memory: k |")
    lines = [head, "|---|" + "---:|" * (3 * len(done) + 7)]
    labels = list(fits) or ([p.label for p in done[-1].phases] + ["total"] if done else [])
    for label in labels:
        cells = []
        for build in done:
            if label == "total":
                cells += [f"{build.seconds:,.1f}", f"{build.cpu_seconds:,.1f}", f"{build.peak_mb:,.0f}"]
            else:
                phase = next((p for p in build.phases if p.label == label), None)
                cells += ([f"{phase.seconds:,.2f}", f"{phase.cpu_seconds:,.2f}", f"{phase.peak_mb:,.0f}"] if phase
                          else ["", "", ""])
        if label in fits:
            f = fits[label]
            cells += [f"{f.time.b * 1000:.3f}", f"{f.time.a:,.1f}", f"{f.cpu.b * 1000:.3f}" if f.cpu else "",
                      _k(f.time_power), f"{f.memory.b * 1024:,.2f}", f"{f.memory.a:,.0f}", _k(f.memory_power)]
        else:
            cells += [""] * 7
        name = f"**{label}** (wall time; peak of the whole run)" if label == "total" else label
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    pages = ", ".join(f"{b.articles:,}: {b.pages:,}" for b in done)
    loads = ", ".join(f"{b.articles:,}: {b.load:.2f}" for b in done)
    size = ", ".join(f"{b.articles:,}: {_mb(b.output_mb)}" for b in done)
    lines += ["", f"HTML pages written: {pages}. Output on disk: {size}"
                  + (f" ({fit_line([(b.articles, b.output_mb) for b in done]).b * 1024:,.1f} KB per article)"
                     if len(done) >= 2 else "")
                  + f". Load average (1 min) when each build started: {loads}."]
    for b in builds:
        if b.failed:
            lines.append(f"\n{b.articles:,} articles: not measured ({b.failed}).")
    return lines


def ingest_table(rows: list[IngestResult], n: int) -> list[str]:
    lines = [f"Ingest of {n:,} raw seeds (`make_corpus.py --formats seeds`), enrichment on, empty cache, "
             "one run each; the time includes starting Python and loading the model in every worker.", "",
             "| Setting | Workers | Records | Seconds | Articles/s | Per worker | CPU s | Articles per CPU s "
             "| Peak memory | Load |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        if r.skipped:
            lines.append(f"| {r.setting} | {r.workers} | {r.skipped} | | | | | | | |")
            continue
        count = int(r.workers.split()[0])  # "4 (2 + 2)" → 4
        per = f"{r.rate / count:.1f}" if count else ""
        lines.append(f"| {r.setting} | {r.workers} | {r.articles:,} | {r.seconds:.1f} | {r.rate:.1f} | {per} | "
                     f"{r.cpu_seconds:.1f} | {r.cpu_rate:.1f} | {_mb(r.peak_mb)} | {r.load:.2f} |")
    return lines


def plan_table(fits: dict[str, PhaseFit], rows: list[IngestResult]) -> list[str]:
    """The fits carried to PLAN_SIZES; the ingest workers from the measured rates."""
    if not fits:
        return ["No fit: the build must be measured at two sizes or more."]
    head = "| Phase | " + " | ".join(f"{n:,}: wall | {n:,}: CPU | {n:,}: peak memory" for n in PLAN_SIZES) + " |"
    lines = ["The straight lines (a + b·N) carried far beyond the sizes measured: wall time as this machine "
             "gave it, CPU time (the work, in core-hours: what a cluster divides), peak memory. \"≥\": the "
             "phase's CPU time or memory grew faster than N over the sizes measured (power-law k > 1.1), so "
             "the line is a lower bound.", "",
             head, "|---|" + "---:|" * (3 * len(PLAN_SIZES))]
    for label, f in fits.items():
        cells = []
        faster = "≥ " if f.time_power and f.time_power.k > 1.1 else ""
        for n in PLAN_SIZES:
            cells += [_duration(max(0.0, f.time.at(n))),
                      faster + _duration(max(0.0, f.cpu.at(n))) if f.cpu else "",
                      ("≥ " if f.memory_power and f.memory_power.k > 1.1 else "") + _mb(max(0.0, f.memory.at(n)))]
        lines.append(f"| {'**total**' if label == 'total' else label} | " + " | ".join(cells) + " |")
    runs = {r.key: r for r in rows if not r.skipped and r.articles}
    steady = steady_rate(rows)
    if steady:
        rate, start_up = steady
        lines += ["", f"One enrichment process on a core of its own: {rate:.1f} articles per CPU second once "
                      f"started, {start_up:.0f} CPU seconds to start (Python, the model), from its runs on half and "
                      "all the seeds. An ingest within "
                      f"{INGEST_HOURS:g} h needs "
                  + "; ".join(f"{workers_for(n, rate):,} such workers for {n:,} articles" for n in PLAN_SIZES)
                  + " (one core each, the client apart)."]
    elif "local-1" in runs:
        rate = runs["local-1"].rate
        lines += ["", f"One enrichment process on one core: {rate:.1f} articles/s, start-up included. An ingest "
                      f"within {INGEST_HOURS:g} h needs "
                  + "; ".join(f"{workers_for(n, rate):,} such workers for {n:,} articles" for n in PLAN_SIZES) + "."]
    if "client" in runs:
        client = runs["client"]
        per_cpu = client.cpu_rate or client.rate
        lines += ["", f"One process without NLP (the enrichment cache kept: reading and cleaning the seeds, cache "
                      f"look-ups, writing the records) did {per_cpu:.0f} articles per CPU second, start-up included: "
                  + "; ".join(f"{_duration(n / per_cpu)} for {n:,} articles" for n in PLAN_SIZES)
                  + ". A client that also reads and cleans is capped there, however many workers tag."]
    return lines


def section(builds: list[BuildResult], rows: list[IngestResult], ingest_size: int, command: str,
            source: str) -> str:
    fits = phase_fits(builds)
    lines = [f"Measured {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC with `{command}`; Gazette {source}; "
             f"{machine()}. One run per figure.", ""]
    if builds:
        lines += ["### Cold build by phase", "",
                  "Phases are the build's own laps (`gazette build -v`), in order; memory is the peak resident "
                  "memory of the whole process tree (Pagefind's processes included) between a lap and the one "
                  "before. Fit: seconds = a + b·N and MB = a + b·N, least squares over the sizes; k: the exponent "
                  "of a power law CPU = c·N^k (about 1: linear).", "",
                  *build_table(builds, fits), ""]
    if rows:
        lines += ["### Ingest throughput", "", *ingest_table(rows, ingest_size), ""]
    lines += ["### Carried to 1,000,000 and 10,000,000 articles", "", *plan_table(fits, rows)]
    return "\n".join(lines)


def write_section(text: str, heading: str = SECTION_HEADING, start: str = START_MARKER, end: str = END_MARKER,
                  readme: Path = README) -> None:
    """text between the markers of bench/README.md (search_first_result.py has its own)."""
    document = readme.read_text(encoding="utf-8") if readme.exists() else ""
    new = replace_between_markers(document, text, heading, start, end)
    temporary = readme.with_suffix(".md.tmp")
    temporary.write_text(new, encoding="utf-8")
    temporary.replace(readme)  # never a half-written README


# ------------------------------------------------------------------ main

def _sizes(text: str, parser: argparse.ArgumentParser) -> list[int]:
    if text.strip() == "none":  # the ingest rows alone
        return []
    try:
        sizes = [int(s.replace("_", "")) for s in text.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes must be numbers separated by commas, not {text!r}")
    if not sizes or min(sizes) < 10:
        parser.error("--sizes: at least one size, each at least 10 articles")
    return sorted(set(sizes))


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,30000,100000", help="comma-separated article counts "
                        "(default: 10000,30000,100000; two or more for a fit; none: no build)")
    parser.add_argument("--ingest-size", type=int, default=1000, help="raw seeds for the ingest rows "
                        "(default: 1000; 0 skips them)")
    parser.add_argument("--work", type=Path, default=BENCH / "work" / "scaling",
                        help="corpora, outputs and logs (default: bench/work/scaling)")
    parser.add_argument("--gazette", default="head",
                        help="head: the last commit (default); worktree: the files as they are; or any git "
                             "revision (a branch not merged yet)")
    parser.add_argument("--max-memory-gb", type=float, default=MEMORY_LIMIT_GB,
                        help=f"stop a command whose process tree grows past this (default: {MEMORY_LIMIT_GB:g})")
    parser.add_argument("--write", action="store_true",
                        help=f"put the tables into {README.relative_to(ROOT)} between the scaling markers")
    parser.add_argument("--ingest-worker", nargs=3, metavar=("SITE", "SEEDS", "PROCESSES"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.ingest_worker:
        return args
    args.sizes = _sizes(args.sizes, parser)
    if args.ingest_size < 0:
        parser.error("--ingest-size cannot be negative")
    if not args.sizes and not args.ingest_size:
        parser.error("nothing to measure: --sizes none and --ingest-size 0")
    return args


def _stop_on_sigterm(signum, frame) -> None:
    raise KeyboardInterrupt  # so that the measured process tree and a 2+2 cluster are stopped too


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    if args.ingest_worker:
        site, seeds, processes = args.ingest_worker
        return ingest_worker(Path(site), Path(seeds), int(processes))
    if not in_bench_venv():  # psutil lives there
        python = ensure_bench_venv()
        env = {**os.environ, PROJECT_PYTHON_ENV: os.environ.get(PROJECT_PYTHON_ENV) or sys.executable,
               ARGV_ENV: shlex.join(["python", "bench/scaling.py", *argv])}
        os.execve(str(python), [str(python), str(Path(__file__).resolve()), *argv], env)
    project_python = Path(os.environ.get(PROJECT_PYTHON_ENV) or ROOT / ".venv" / "bin" / "python")
    if args.gazette != "worktree":
        gazette_cwd, rev = snapshot(project_python, "HEAD" if args.gazette == "head" else args.gazette)
        source = f"git {rev}" + (", as committed" if args.gazette == "head" else f" ({args.gazette})")
    else:
        gazette_cwd = ROOT
        rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True).stdout.strip()
        source = f"working tree at git {rev}"
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    setup = Setup(project_python, gazette_cwd, source, work, args.max_memory_gb)
    command = os.environ.get(ARGV_ENV) or shlex.join(["python", "bench/scaling.py", *argv])
    logs = work / "logs" / time.strftime("%Y%m%d-%H%M%S")
    empty_trash(wait=True)  # what the last bench set aside (run.py, TRASH)
    if args.sizes:
        warm_up(setup)
    builds = [cold_build(setup, n, logs) for n in args.sizes]
    rows = ingest_rows(setup, args.ingest_size, logs) if args.ingest_size else []
    (logs / "results.json").write_text(json.dumps(
        {"builds": [dataclasses.asdict(b) for b in builds], "ingest": [dataclasses.asdict(r) for r in rows],
         "command": command, "source": source}, indent=1), encoding="utf-8")
    text = section(builds, rows, args.ingest_size, command, source)
    print(text)
    if args.write:
        write_section(text)
        say(f"written into {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
