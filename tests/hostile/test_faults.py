"""Issue 12, class 6: faults.

Orphans: worker processes die with their parent. A build (or an ingest)
killed with SIGKILL runs no cleanup code, yet within seconds no process it
started — Markdown and search workers, Pagefind, enrichment workers and
what they forked — is left running (generator/lifetime.py).
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# -- orphans -------------------------------------------------------------------------

# above render.BODY_WORKER_FROM (1000) and search.WORKERS_FROM (500): a build
# starts the Markdown worker, then the search shard workers and their Pagefind
WORKER_SITE_ARTICLES = 1050
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds processes in /proc")
GONE_WITHIN = 10.0  # seconds (they go at once; a loaded machine may be slow to show it)


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (state first), or None."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def _started(pid: int) -> str | None:
    fields = _stat(pid)
    return fields[19] if fields else None  # field 22, starttime: tells a reused pid


def _running(pid: int, started: str) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X") and fields[19] == started


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _descendants(pid: int) -> dict[int, str]:
    """Every process below `pid` (pid → start time), from /proc/<pid>/task/*/children."""
    found: dict[int, str] = {}
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            for child in children:
                started = _started(child)
                if child not in found and started is not None:
                    found[child] = started
                    todo.append(child)
    return found


def _wait_for(process: subprocess.Popen, ready, seconds: float) -> dict[int, str]:
    """The process's descendants once `ready(their command lines)` holds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the process ended (status {process.returncode}) before its workers were seen")
        below = _descendants(process.pid)
        if ready([_cmdline(pid) for pid in below]):
            return below
        time.sleep(0.02)
    raise AssertionError(f"no workers seen within {seconds} s")


def _left_after_sigkill(process: subprocess.Popen, below: dict[int, str]) -> list[str]:
    """SIGKILL `process`; the command lines of what it started (and what those
    start meanwhile) that still run GONE_WITHIN seconds later — then stopped,
    so that a failing test leaves nothing behind either."""
    process.send_signal(signal.SIGKILL)
    process.wait()
    known = dict(below)
    deadline = time.monotonic() + GONE_WITHIN
    while True:
        alive = {pid: started for pid, started in known.items() if _running(pid, started)}
        for pid in list(alive):
            known.update(_descendants(pid))
        if not alive or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    left = [f"{pid}: {_cmdline(pid)[:100]}" for pid in alive]
    for pid in alive:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return left


@pytest.fixture(scope="module")
def worker_site_source(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("orphans")
    subprocess.run([sys.executable, "bench/make_corpus.py", str(WORKER_SITE_ARTICLES), str(out), "--formats", "gazette"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL, timeout=120)
    return out / "gazette"


def _is_worker(cmdline: str) -> bool:
    return "multiprocessing.spawn" in cmdline


def _runs_pagefind(cmdline: str) -> bool:
    return "pagefind" in cmdline and "--service" in cmdline


@linux_only
@pytest.mark.parametrize("moment, ready", [
    ("the Markdown worker started", lambda cmdlines: any(map(_is_worker, cmdlines))),
    ("Pagefind indexes in a search worker", lambda cmdlines: any(map(_runs_pagefind, cmdlines))),
], ids=["render-worker", "search-worker"])
def test_a_build_killed_with_sigkill_leaves_no_process_behind(worker_site_source, tmp_path, moment, ready):
    site = shutil.copytree(worker_site_source, tmp_path / "site")
    build = subprocess.Popen([sys.executable, "-m", "generator", "build", "--site", str(site)],
                             cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        below = _wait_for(build, ready, seconds=90)
    finally:
        left = _left_after_sigkill(build, _descendants(build.pid) if build.poll() is None else {})
    assert below, "no worker process was seen"
    assert not left, f"killed once {moment}, the build left {len(left)} process(es) running:\n" + "\n".join(left)


ENRICH_DRIVER = """
import sys, time
from generator.enrich import workers

def analyse(lang, items):
    if items:
        time.sleep(300)  # a long batch (a slow model load would do the same)

pool = workers.Pool(2, "fr", analyse)
pool.submit("fr", [(0, "key", "text", None)])
time.sleep(300)
"""


@linux_only
def test_enrichment_workers_die_with_a_process_killed_with_sigkill():
    process = subprocess.Popen([sys.executable, "-c", ENRICH_DRIVER], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        below = _wait_for(process, lambda cmdlines: len(cmdlines) >= 2, seconds=30)  # the first and the one it forked
        time.sleep(0.5)  # one of them takes the batch
    finally:
        left = _left_after_sigkill(process, _descendants(process.pid) if process.poll() is None else {})
    assert len(below) >= 2
    assert not left, "the enrichment workers outlived their parent:\n" + "\n".join(left)


# -- language tags --------------------------------------------------------------------
# A record's `lang` reaches <html lang> and Pagefind, which picks a stemmer
# from it. A tag that is not BCP 47 is read as 'und' with a warning naming
# file:line (records.py); a well-formed tag Pagefind has no stemmer for is
# indexed under its base language or without stemming (search.py). Either way
# the build ends, and never with an anonymous Pagefind panic.

BUILD_SECONDS = 120
SAMPLE = ROOT / "tests" / "fixtures" / "sample-site"
LANG_RECORD = "boris-johnson-devient-premier-ministre-du-royaume-uni.md"


def _sample_site(tmp_path: Path) -> Path:
    return shutil.copytree(SAMPLE, tmp_path / "site", ignore=shutil.ignore_patterns(".gazette", "public"))


def _gazette(site: Path, *args: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args, "--site", str(site)], cwd=ROOT,
                          capture_output=True, text=True, timeout=BUILD_SECONDS, stdin=subprocess.DEVNULL, **options)


def _set_lang(site: Path, lang: str) -> Path:
    record = site / "content" / LANG_RECORD
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("\nlang: fr\n", f"\nlang: {lang}\n", 1), encoding="utf-8")
    return record


@pytest.mark.parametrize("lang", ['"../../x"', '"xx-YY"', '"fr-FR"', '"en us"'])
def test_a_strange_language_tag_never_makes_pagefind_panic(tmp_path, lang):
    site = _sample_site(tmp_path)
    _set_lang(site, lang)
    done = _gazette(site, "build")
    output = done.stdout + done.stderr
    assert "panic" not in output.lower() and "Traceback" not in output, output[-2000:]
    if done.returncode != 0:
        assert LANG_RECORD in output, output[-2000:]
    assert done.returncode == 0, output[-2000:]  # one odd tag must not cost the whole site
    assert (site / "public" / "articles" / LANG_RECORD.removesuffix(".md") / "index.html").is_file()
    assert not list(site.glob(".public.staging-*")) and not list(site.rglob("*.tmp"))


def test_a_tag_that_is_not_a_language_is_named_with_its_line(tmp_path):
    site = _sample_site(tmp_path)
    _set_lang(site, '"../../x"')
    done = _gazette(site, "build")
    assert f"{LANG_RECORD}:4:" in done.stdout + done.stderr, (done.stdout + done.stderr)[-2000:]
    page = (site / "public" / "articles" / LANG_RECORD.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
    assert "../../x" not in page


def test_a_page_pagefind_cannot_index_is_named():
    """Defence in depth: a page whose <html lang> is not a tag (a hand-made
    template, say) is refused naming the page, not the whole search shard."""
    from generator.errors import BuildError
    from generator.report import SilentReporter
    from generator.site.search import index_articles

    page = '<html lang="../../x"><body><article data-pagefind-body>hello there</article></body></html>'
    with pytest.raises(BuildError) as caught:
        index_articles([("articles/x/index.html", page)], SilentReporter())
    assert caught.value.path is not None and "articles/x/index.html" in str(caught.value.path)


# -- disk and permissions -------------------------------------------------------------
# A full disk, a read-only folder, a permission error: one `path: message`
# line, exit 1, the previous public/ as it was, no staging folder or temporary
# file left. Tests run as root (chmod does not refuse root), so the faults are
# made in-process by patching the calls that write, and once for real with
# RLIMIT_FSIZE in a child process.

import errno  # noqa: E402  (this section's own)
import hashlib  # noqa: E402
import resource  # noqa: E402

from click.testing import CliRunner  # noqa: E402

from generator.cli import main  # noqa: E402


def _files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _leftovers(site: Path) -> list[str]:
    found = list(site.parent.glob(".*.staging-*")) + list(site.glob(".*.staging-*")) + list(site.rglob("*.tmp"))
    found += list(site.glob(".public.old-*"))
    return [str(p) for p in found]


def _full(named: bool = True):
    """A stand-in for a write that fails as a full disk does (naming its first argument, a path)."""
    def fail(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(args[0]) if named and args else None)
    return fail


def _build(site: Path) -> "object":
    return CliRunner().invoke(main, ["build", "--site", str(site)], catch_exceptions=False)


def _assert_clean_failure(result, site: Path, before: dict[str, str], words: str) -> None:
    output = result.output
    assert result.exit_code == 1, output
    assert "Traceback" not in output and "internal error" not in output, output
    lines = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and words in lines[0], output
    assert _files(site / "public") == before, "the previous site changed"
    assert not _leftovers(site)


def _without_kept_model(site: Path) -> None:
    """The next build starts from the records (a clean build), not from the
    model the last one kept (an in-place update, site/build_update.py)."""
    for kept in (site / ".gazette").glob("model*.pickle"):
        kept.unlink()


@pytest.mark.parametrize("path", ["clean build", "in-place update"])
def test_a_full_disk_while_writing_pages_keeps_the_previous_site(built_sample_copy, monkeypatch, path):
    import generator.site.output
    import generator.site.output_update

    site = built_sample_copy
    before = _files(site / "public")
    (site / "content" / LANG_RECORD).write_text(
        (site / "content" / LANG_RECORD).read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    if path == "clean build":
        _without_kept_model(site)
        monkeypatch.setattr(generator.site.output, "_write_new", _full())  # each page's write
    else:  # the update stages its files with open()
        monkeypatch.setattr(generator.site.output_update, "open", _full(), raising=False)
    result = _build(site)
    _assert_clean_failure(result, site, before, "No space left on device")
    assert "public/" in result.output  # names where it could not write


def test_a_swap_that_fails_puts_the_previous_site_back(built_sample_copy, monkeypatch):
    site = built_sample_copy
    _without_kept_model(site)
    before = _files(site / "public")
    (site / "content" / LANG_RECORD).write_text(
        (site / "content" / LANG_RECORD).read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    real_rename = os.rename

    def rename(source, target):
        if ".staging-" in str(source):  # the staging folder moving in: refused
            raise OSError(errno.EACCES, os.strerror(errno.EACCES), str(target))
        real_rename(source, target)

    monkeypatch.setattr(os, "rename", rename)
    result = _build(site)
    _assert_clean_failure(result, site, before, "Permission denied")


def test_a_cache_that_cannot_be_written_does_not_fail_the_build(built_sample_copy, monkeypatch):
    import generator.cache

    site = built_sample_copy
    shutil.rmtree(site / ".gazette")
    monkeypatch.setattr(generator.cache.pickle, "dump", _full(named=False))
    result = _build(site)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert (site / "public" / "index.html").is_file()
    assert not _leftovers(site)


def _small_files(limit: int):
    def preexec():
        import signal as signals
        signals.signal(signals.SIGXFSZ, signals.SIG_IGN)  # writes beyond the limit fail with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return preexec


def test_a_real_write_fault_in_a_fresh_build_names_the_file(tmp_path):
    """No patching: the kernel refuses every write past 64 KiB (RLIMIT_FSIZE)."""
    site = _sample_site(tmp_path)
    done = _gazette(site, "build", preexec_fn=_small_files(64 * 1024))
    output = done.stdout + done.stderr
    assert done.returncode == 1, output[-2000:]
    assert "Traceback" not in output and "internal error" not in output, output[-2000:]
    assert "File too large" in output and "public/" in output, output[-2000:]
    assert not (site / "public").exists()
    assert not _leftovers(site)


def _ingest_site(tmp_path: Path) -> Path:
    site = _sample_site(tmp_path)
    (site / "seeds").mkdir()
    (site / "seeds" / "greve.txt").write_text(
        "Grève des cheminots à Lyon\n\nLYON, 3 mars 2021 — Les cheminots de Lyon ont cessé le travail ce mercredi. "
        "Le trafic est interrompu jusqu’à jeudi.\n", encoding="utf-8")
    return site


def _ingest(site: Path):
    from fakes import FakeEnricher
    return CliRunner().invoke(main, ["ingest", "--site", str(site)], obj={"enricher": FakeEnricher()},
                              catch_exceptions=False)


@pytest.mark.parametrize("fault", ["full disk while writing", "read-only content/", "full disk for the cache"])
def test_ingest_on_a_full_disk_or_a_read_only_content_names_the_seed_and_leaves_nothing(tmp_path, monkeypatch, fault):
    import generator.cache
    import generator.records

    site = _ingest_site(tmp_path)
    before = _files(site / "content")
    if fault == "full disk while writing":  # the temp file exists, its bytes do not fit
        monkeypatch.setattr(generator.records.os, "fdopen", _fd_on_a_full_disk)
    elif fault == "read-only content/":
        monkeypatch.setattr(generator.records.tempfile, "mkstemp", _full_as(errno.EROFS, "dir"))
    else:
        monkeypatch.setattr(generator.cache.pickle, "dump", _full(named=False))
    result = _ingest(site)
    output = result.output
    assert "Traceback" not in output and "internal error" not in output, output
    if fault == "full disk for the cache":
        assert result.exit_code == 0, output  # a cache is worth time, never a failed run
        assert len(_files(site / "content")) == len(before) + 1
    else:
        assert result.exit_code == 1, output
        errors = [line for line in output.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and "seeds/greve.txt" in errors[0], output
        assert _files(site / "content") == before  # no half-written record
    assert not _leftovers(site)


def _fd_on_a_full_disk(fd: int, *args, **kwargs):
    """os.fdopen for a temp file that was created but whose bytes do not fit
    (patched in os itself: records and the cache both write this way)."""
    os.close(fd)
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _full_as(code: int, keyword: str):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code), str(kwargs.get(keyword, "")))
    return fail


def test_the_preview_on_a_full_disk_names_the_file_and_keeps_serving_the_last_site(built_sample_copy, monkeypatch):
    from test_serve import ROOT, page, running, wait_for

    import generator.site.output
    from generator.site.build import build_site

    site = built_sample_copy
    before = _files(site / "public")
    slug = LANG_RECORD.removesuffix(".md")
    with running(site, build=build_site, ingest=lambda *a, **k: None) as preview:
        monkeypatch.setattr(generator.site.output, "_write_new", _full())  # each page's write
        # a record edit is taken into the site model: nothing is written, the disk does not matter
        record = site / "content" / LANG_RECORD
        record.write_text(record.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
        wait_for(lambda: "Une phrase de plus." in page(preview, slug)[1].decode(), timeout=60, message="the edit")
        assert not preview.status.errors
        # a template change rebuilds the site, which cannot be written
        templates = site / "themes" / "default" / "templates"
        templates.mkdir(parents=True)
        shipped = (ROOT / "themes" / "default" / "templates" / "article.html").read_text(encoding="utf-8")
        (templates / "article.html").write_text(shipped + "\n", encoding="utf-8")
        wait_for(lambda: preview.status.errors, timeout=60, message="the error")
        error = preview.status.errors[0]
        assert "No space left on device" in error and "public/" in error and "internal error" not in error, error
        assert page(preview, slug)[0] == 200 and "Une phrase de plus." in page(preview, slug)[1].decode()
    assert _files(site / "public") == before
    assert not _leftovers(site)
