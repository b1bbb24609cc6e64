"""`gazette serve`: the real preview server on a free port, its path and Host
safety, the watcher's debouncing, rebuilds, the error overlay and recovery.

Most tests drive the server with `page_build`, a small but real build
function (records → one page each, through a template, swapped in
atomically like build_site does), so that they run in a fraction of a
second; the tests at the end use the real build_site and ingest on the
committed sample site.
"""
from __future__ import annotations

import functools
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import BuildError
from generator.serve.livereload import BuildStatus, LiveState, inject
from generator.report import SilentReporter
from generator.serve.preview import Preview
from generator.serve.http import HostPolicy, Refused, site_file
from generator.serve.watch import SEED, SOURCE, Changes, Debouncer, changed_since, classify, fingerprint, is_editor_dropping

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = Path(__file__).parent / "fixtures" / "sample-site"
TEMPLATE = "<!doctype html><html><body><h1>{title}</h1>\n{body}\n</body></html>\n"


# -- a small real build and ingest for the fast tests ---------------------------

def page_build(config, *, reporter, **_options):
    """content/<name>.md → <output>/articles/<name>/index.html through
    themes/default/page.html; '{% broken' in the template is a build error.
    Writes into a staging folder and swaps it in by renames (as build_site)."""
    template_path = config.themes_dir / "default" / "page.html"
    template = template_path.read_text(encoding="utf-8")
    for number, line in enumerate(template.splitlines(), 1):
        if "{% broken" in line:
            raise BuildError("unexpected end of template", template_path, number)
    delay = float(os.environ.get("PAGE_BUILD_SWAP_DELAY", "0"))
    out = config.output_dir
    stage = out.with_name(out.name + ".staging")
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir()
    (stage / "index.html").write_text(TEMPLATE.format(title="home", body=""), encoding="utf-8")
    (stage / "404.html").write_text(TEMPLATE.format(title="not here", body=""), encoding="utf-8")
    for record in sorted(config.content_dir.glob("*.md")):
        page = stage / "articles" / record.stem / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(template.replace("{body}", record.read_text(encoding="utf-8")), encoding="utf-8")
    old = out.with_name(out.name + ".old")
    if out.exists():
        os.rename(out, old)
    time.sleep(delay)  # the instant in which the output folder is missing
    os.rename(stage, out)
    shutil.rmtree(old, ignore_errors=True)


def copy_ingest(config, paths, *, reporter, **_options):
    """seeds/<name>.txt → content/<name>.md, unless the record exists (hand edits kept)."""
    for path in paths:
        seeds = [path] if path.is_file() else sorted(path.rglob("*.txt"))
        for seed in seeds:
            record = config.content_dir / (seed.stem + ".md")
            if not record.exists():
                record.write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")


@pytest.fixture
def small_site(tmp_path) -> Path:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "seeds").mkdir()
    (site / "themes" / "default").mkdir(parents=True)
    (site / "site.toml").write_text('title = "Test"\n', encoding="utf-8")
    (site / "themes" / "default" / "page.html").write_text(TEMPLATE.replace("{title}", "article"), encoding="utf-8")
    for name in ("alpha", "beta"):
        (site / "content" / f"{name}.md").write_text(f"the {name} record\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("TOP SECRET\n", encoding="utf-8")
    return site


@contextmanager
def running(site: Path, build=page_build, ingest=copy_ingest, host: str = "127.0.0.1"):
    """The preview on a free port, its build loop in a thread.

    It yields once start() has built, with nothing pending: the watcher
    only reports what changes after it started, and the first build's own
    writes (output, cache) are not watched. So `preview.status` at once is
    the status before the test's own changes, without waiting to settle."""
    preview = Preview(load_config(site), host=host, port=0, reporter=SilentReporter(), build=build,
                      ingest=ingest, debouncer=Debouncer(quiet=0.25))
    # stop() waits until serve_forever notices the shutdown: by default it
    # looks every 0.5 s, which every test would wait for again
    preview.server.serve_forever = functools.partial(preview.server.serve_forever, poll_interval=0.05)
    preview.start()
    done = threading.Event()

    def loop():
        while not done.is_set():
            preview.step(timeout=0.05)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield preview
    finally:
        done.set()
        thread.join(timeout=30)
        preview.stop()


def request(preview: Preview, path: str, host: str | None = "localhost", method: str = "GET"):
    """(status, body) of one request, sent as is (no normalisation)."""
    port = preview.server.server_address[1]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    if host is not None:
        conn.putheader("Host", host)
    conn.endheaders()
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def raw_request(preview: Preview, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", preview.server.server_address[1]), timeout=10) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)  # the server sees the end of what we send
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def wait_for(condition, timeout: float = 20.0, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {message}")


def settle(preview: Preview, quiet: float = 1.0) -> BuildStatus:
    """The status once no build has started for `quiet` seconds."""
    last = preview.status
    since = time.monotonic()
    while time.monotonic() - since < quiet:
        time.sleep(0.05)
        now = preview.status
        if now.builds != last.builds or now.building:
            last, since = now, time.monotonic()
    return preview.status


def page(preview, slug):
    return request(preview, f"/articles/{slug}/")


# -- paths: nothing outside the site, whatever the request ------------------------

TRAVERSALS = [
    "/../secret.txt",
    "/../../secret.txt",
    "/articles/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/%2e%2e/secret.txt",
    "/articles/%2e%2e%2f%2e%2e%2fsecret.txt",
    "/%252e%252e/secret.txt",
    "/%252e%252e%252fsecret.txt",
    "/..%5csecret.txt",
    "/..\\secret.txt",
    "/articles\\..\\..\\secret.txt",
    "/%5c..%5c..%5csecret.txt",
    "//etc/passwd",
    "http://127.0.0.1/../secret.txt",
    "/%00/secret.txt",
    "/.%2e/secret.txt",
    "/escape/secret.txt",  # a symlink inside the output pointing outside
    "/escape-file",
]


def test_site_file_keeps_every_request_inside_the_root(tmp_path):
    root = tmp_path / "public"
    (root / "articles" / "a").mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("x")
    (root / "escape").symlink_to(tmp_path)
    assert site_file(root, "/articles/a/?q=1#top") == (root / "articles" / "a").resolve()
    assert site_file(root, "/articles/%C3%A9t%C3%A9/") == (root / "articles" / "été").resolve()
    (root / "escape-file").symlink_to(tmp_path / "secret.txt")
    for target in TRAVERSALS:
        with pytest.raises(Refused) as refused:
            site_file(root, target)
        assert 400 <= int(refused.value.status) < 500, target


def test_traversal_attacks_get_4xx_and_the_server_keeps_answering(small_site):
    with running(small_site) as preview:
        out = preview.config.output_dir
        (out / "escape").symlink_to(small_site.parent)
        (out / "escape-file").symlink_to(small_site.parent / "secret.txt")
        for target in TRAVERSALS:
            if "\x00" in target or "\\" in target:
                answer = raw_request(preview, b"GET " + target.encode() + b" HTTP/1.1\r\nHost: localhost\r\n\r\n")
                status, body = int(answer.split(b" ", 2)[1]), answer
            else:
                status, body = request(preview, target)
            assert 400 <= status < 500, (target, status)
            assert b"TOP SECRET" not in body, target
            assert page(preview, "alpha")[0] == 200, f"server stopped answering after {target!r}"


def test_absolute_paths_stay_inside_the_site(small_site):
    with running(small_site) as preview:
        for target in ("/etc/passwd", "/%2fetc/passwd", "/" + str(small_site.parent / "secret.txt").lstrip("/")):
            status, body = request(preview, target)
            assert status == 404 and b"TOP SECRET" not in body and b"root:" not in body


# -- Host header: DNS rebinding ------------------------------------------------

def test_host_policy_on_loopback():
    policy = HostPolicy.for_bind("127.0.0.1")
    for good in ("localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000", "127.0.0.5", "LOCALHOST.", "app.localhost"):
        assert policy.allows(good), good
    for bad in (None, "", "evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.evil.example",
                "10.0.0.1", "[2001:db8::1]:8000", "0.0.0.0", ":8000"):
        assert not policy.allows(bad), bad


def test_host_policy_on_another_interface_accepts_addresses_and_own_names():
    policy = HostPolicy.for_bind("0.0.0.0")
    assert policy.allows("192.168.1.20:8000") and policy.allows("localhost")
    assert policy.allows(socket.gethostname())
    assert not policy.allows("rebind.attacker.example")


def test_host_attacks_get_403_and_the_server_keeps_answering(small_site):
    with running(small_site) as preview:
        port = preview.server.server_address[1]
        for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.nip.io:{port}", "10.0.0.1", ""):
            status, body = request(preview, "/articles/alpha/", host=host)
            assert status == 403, host
            assert b"alpha" not in body
        answer = raw_request(preview, b"GET /articles/alpha/ HTTP/1.0\r\n\r\n")  # no Host at all
        assert answer.startswith(b"HTTP/1.0 403")
        for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}"):
            assert request(preview, "/articles/alpha/", host=host)[0] == 200, host


def test_bad_requests_never_stop_the_server(small_site):
    with running(small_site) as preview:
        for junk in (b"\x00\xff\xfe garbage\r\n\r\n", b"GET\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                     b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n", b"BREW /pot HTTP/1.1\r\nHost: localhost\r\n\r\n",
                     b"GET / HTTP/1.1\r\nHost: localhost\r\n" + b"X: y\r\n" * 200 + b"\r\n", b"GET / HT"):
            try:
                raw_request(preview, junk)
            except OSError:
                pass
            assert page(preview, "beta")[0] == 200, junk[:40]
        # a client that connects and says nothing does not block others
        with socket.create_connection(("127.0.0.1", preview.server.server_address[1])):
            assert page(preview, "beta")[0] == 200


def test_binds_loopback_by_default_and_the_cli_says_the_real_address(small_site):
    import click

    from generator.cli import serve as serve_command

    host_option = next(p for p in serve_command.params if p.name == "host")
    assert host_option.default == "127.0.0.1"
    with running(small_site) as preview:
        assert preview.server.server_address[0] == "127.0.0.1"
        assert preview.url == f"http://127.0.0.1:{preview.server.server_address[1]}/"
    assert isinstance(serve_command, click.Command)


# -- serving: injection, directories, 404 ------------------------------------------

def test_html_gets_the_reload_script_but_files_on_disk_do_not(small_site):
    with running(small_site) as preview:
        status, body = page(preview, "alpha")
        assert status == 200 and b"the alpha record" in body
        assert b"/__gazette__/livereload.js?generation=1" in body
        assert body.index(b"livereload.js") < body.rindex(b"</body>")
        on_disk = (preview.config.output_dir / "articles" / "alpha" / "index.html").read_bytes()
        assert b"__gazette__" not in on_disk
        status, body = request(preview, "/articles/alpha")
        assert status == 301
        status, body = request(preview, "/articles/nothing-here/")
        assert status == 404 and b"not here" in body and b"livereload.js" in body
        status, script = request(preview, "/__gazette__/livereload.js")
        assert status == 200 and b"EventSource" in script
        assert request(preview, "/articles/alpha/", method="HEAD")[0] == 200


def test_inject_without_body_tag_appends():
    assert inject(b"<p>x", BuildStatus(generation=3)).startswith(b"<p>x<script")
    marked = inject(b"<body><p>a</p></BODY ></html>", BuildStatus(generation=1, errors=("a.md:3: bad",)))
    assert marked.index(b"gazette-error-overlay") < marked.index(b"</BODY")
    assert b"a.md:3: bad" in marked


# -- watching, debouncing, rebuilding ----------------------------------------------

def test_editor_droppings_are_recognised():
    for name in ("page.html.swp", ".page.html.swp", "page.html~", "4913", ".#page.html", "#page.html#",
                 "record.md.tmp", "page.html___jb_tmp___", ".hidden"):
        assert is_editor_dropping(name), name
    for name in ("page.html", "record.md", "2020-01-26.txt", "style.css"):
        assert not is_editor_dropping(name), name


def test_classify_watches_sources_and_never_output_or_cache(small_site):
    config = load_config(small_site)
    assert classify(small_site / "seeds" / "a.txt", config) == SEED
    assert classify(small_site / "seeds" / "a.html", config) == SEED
    assert classify(small_site / "seeds" / "notes.pdf", config) is None
    assert classify(small_site / "content" / "a.md", config) == SOURCE
    assert classify(small_site / "themes" / "default" / "page.html", config) == SOURCE
    assert classify(small_site / "site.toml", config) == SOURCE
    assert classify(small_site / "entities.toml", config) == SOURCE
    assert classify(small_site / "content" / "a.md.swp", config) is None
    assert classify(small_site / "content" / ".git" / "index", config) is None
    assert classify(config.output_dir / "index.html", config) is None
    assert classify(config.cache_dir / "x.json", config) is None
    assert classify(small_site / "README.md", config) is None


def test_debouncer_turns_a_burst_into_one_batch():
    debouncer = Debouncer(quiet=0.1, longest=5)
    for i in range(300):
        debouncer.add(Path(f"/s/content/{i}.md"), SOURCE)
    debouncer.add(Path("/s/seeds/x.txt"), SEED)
    assert not debouncer.next_batch(timeout=0.02)  # the burst is not over yet
    batch = debouncer.next_batch(timeout=1)
    assert len(batch.sources) == 300 and batch.seeds == {Path("/s/seeds/x.txt")}
    assert not debouncer.next_batch(timeout=0.2)


def test_debouncer_does_not_wait_forever_for_a_writer_that_never_stops():
    debouncer = Debouncer(quiet=0.2, longest=0.5)
    started = time.monotonic()
    batch = Changes()
    while not batch and time.monotonic() - started < 3:
        debouncer.add(Path(f"/s/content/{time.monotonic()}.md"), SOURCE)
        batch = debouncer.next_batch(timeout=0.05)
    assert batch and time.monotonic() - started < 1.5


def test_changed_since_ignores_what_the_last_build_saw(tmp_path):
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text("a")
    b.write_text("b")
    seen = fingerprint([tmp_path])
    assert changed_since([a, b], seen) == frozenset()
    time.sleep(0.01)
    b.write_text("bb")
    c = tmp_path / "c.md"
    c.write_text("c")
    a.unlink()
    gone_before_build = tmp_path / "never-seen.md"
    assert changed_since([a, b, c, gone_before_build], seen) == {a, b, c}


def test_editing_a_record_changes_the_page_after_one_rebuild(small_site):
    with running(small_site) as preview:
        before = preview.status
        assert b"the alpha record" in page(preview, "alpha")[1]
        (small_site / "content" / "alpha.md").write_text("alpha, corrected by hand\n", encoding="utf-8")
        wait_for(lambda: b"corrected by hand" in page(preview, "alpha")[1], message="the edited page")
        after = settle(preview)
        assert after.builds == before.builds + 1
        assert after.generation == before.generation + 1 and not after.errors


def test_a_burst_of_200_writes_causes_at_most_two_builds(small_site):
    with running(small_site) as preview:
        before = preview.status
        content = small_site / "content"
        for i in range(200):
            (content / f"burst-{i % 50}.md").write_text(f"burst write {i}\n", encoding="utf-8")
        wait_for(lambda: page(preview, "burst-49")[0] == 200, message="the burst's pages")
        after = settle(preview)
        assert 1 <= after.builds - before.builds <= 2
        assert b"burst write 199" in page(preview, "burst-49")[1]


def test_editor_droppings_output_and_cache_writes_cause_no_build(small_site):
    with running(small_site) as preview:
        before = preview.status
        content = small_site / "content"
        for name in ("alpha.md.swp", ".alpha.md.swx", "alpha.md~", "4913", ".#alpha.md", "alpha.md.tmp"):
            (content / name).write_text("scratch")
            (content / name).unlink()
        (preview.config.output_dir / "stray.html").write_text("x")
        preview.config.cache_dir.mkdir(exist_ok=True)
        (preview.config.cache_dir / "memo.json").write_text("{}")
        (small_site / "notes.txt").write_text("not a source")
        assert settle(preview, quiet=1.0).builds == before.builds


def test_an_atomic_save_is_one_rebuild(small_site):
    with running(small_site) as preview:
        before = preview.status
        record = small_site / "content" / "beta.md"
        temporary = record.with_name(".beta.md.tmp1234")
        temporary.write_text("beta, saved atomically\n", encoding="utf-8")
        os.replace(temporary, record)
        wait_for(lambda: b"saved atomically" in page(preview, "beta")[1], message="the saved page")
        assert settle(preview).builds == before.builds + 1


def test_a_broken_template_shows_the_overlay_and_the_fix_recovers(small_site):
    template = small_site / "themes" / "default" / "page.html"
    good = template.read_text(encoding="utf-8")
    with running(small_site) as preview:
        before = preview.status
        template.write_text(good.replace("<h1>", "{% broken\n<h1>"), encoding="utf-8")
        wait_for(lambda: preview.status.errors, message="the build error")
        status, body = page(preview, "alpha")
        assert status == 200 and b"the alpha record" in body  # the last good site
        assert b"gazette-error-overlay" in body
        assert f"{template}:1: unexpected end of template".encode() in body
        assert preview.status.generation == before.generation
        template.write_text(good.replace("<h1>", "<h1 class=fixed>"), encoding="utf-8")
        wait_for(lambda: not preview.status.errors and preview.status.generation == before.generation + 1,
                 message="recovery")
        status, body = page(preview, "alpha")
        assert b"gazette-error-overlay" not in body and b"<h1 class=fixed>" in body


def test_a_failed_first_build_shows_the_overlay_and_recovers_by_itself(small_site):
    template = small_site / "themes" / "default" / "page.html"
    good = template.read_text(encoding="utf-8")
    template.write_text("{% broken\n" + good, encoding="utf-8")
    with running(small_site) as preview:
        assert preview.status.generation == 0 and preview.status.errors
        status, body = request(preview, "/")
        assert status == 404
        assert b"unexpected end of template" in body and b"livereload.js?generation=0" in body
        template.write_text(good, encoding="utf-8")
        wait_for(lambda: request(preview, "/")[0] == 200, message="the first good build")
        assert not preview.status.errors and preview.status.generation == 1


def test_a_broken_setting_is_shown_and_the_next_good_save_recovers(small_site):
    settings = small_site / "site.toml"
    with running(small_site) as preview:
        before = preview.status
        settings.write_text('title = "Test"\ncolour = "blue"\n', encoding="utf-8")
        wait_for(lambda: preview.status.errors, message="the settings error")
        assert preview.status.errors[0].startswith(f"{settings}:2: unknown key 'colour'")
        settings.write_text('title = "Test"\n[build]\noutput = "public"\n', encoding="utf-8")
        wait_for(lambda: not preview.status.errors, message="recovery")
        assert preview.status.generation == before.generation + 1


def test_a_bug_in_the_build_is_shown_and_does_not_stop_the_preview(small_site):
    def flaky_build(config, *, reporter, **options):
        if "explode" in (config.content_dir / "alpha.md").read_text():
            raise RuntimeError("boom")
        page_build(config, reporter=reporter, **options)

    with running(small_site, build=flaky_build) as preview:
        (small_site / "content" / "alpha.md").write_text("explode\n")
        wait_for(lambda: preview.status.errors, message="the error")
        assert "internal error: RuntimeError: boom" in preview.status.errors[0]
        assert page(preview, "alpha")[0] == 200
        (small_site / "content" / "alpha.md").write_text("calm again\n")
        wait_for(lambda: b"calm again" in page(preview, "alpha")[1], message="recovery")


def test_a_new_seed_is_ingested_and_appears_and_hand_edits_are_kept(small_site):
    with running(small_site) as preview:
        (small_site / "content" / "beta.md").write_text("beta edited by hand\n")
        (small_site / "seeds" / "gamma.txt").write_text("the gamma seed\n")
        (small_site / "seeds" / "beta.txt").write_text("beta from a seed\n")
        wait_for(lambda: page(preview, "gamma")[0] == 200, message="the new seed's page")
        assert b"the gamma seed" in page(preview, "gamma")[1]
        assert b"beta edited by hand" in page(preview, "beta")[1]


def test_a_seed_whose_record_was_kept_causes_no_build(small_site):
    (small_site / "seeds" / "alpha.txt").write_text("alpha from a seed\n")
    with running(small_site) as preview:
        before = preview.status
        (small_site / "seeds" / "alpha.txt").write_text("alpha from a seed, scraped again\n")
        after = settle(preview, quiet=1.0)
        assert after.builds == before.builds
        assert b"the alpha record" in page(preview, "alpha")[1]


def test_a_folder_of_seeds_and_a_seeds_folder_created_later_are_ingested(small_site):
    shutil.rmtree(small_site / "seeds")
    with running(small_site) as preview:
        before = preview.status
        batch = small_site / "incoming"
        batch.mkdir()
        for name in ("one", "two", "three"):
            (batch / f"{name}.txt").write_text(f"seed {name}\n")
        os.rename(batch, small_site / "seeds")  # the folder appears at once, as a move
        wait_for(lambda: all(page(preview, n)[0] == 200 for n in ("one", "two", "three")), message="the seeds")
        (small_site / "seeds" / "four.txt").write_text("seed four\n")  # now watched inside
        wait_for(lambda: page(preview, "four")[0] == 200, message="a seed in the new folder")
        assert settle(preview).builds - before.builds <= 3


def test_requests_during_a_build_get_a_complete_site(small_site, monkeypatch):
    monkeypatch.setenv("PAGE_BUILD_SWAP_DELAY", "0.3")
    with running(small_site) as preview:
        results = []
        stop = threading.Event()

        def hammer():
            while not stop.is_set():
                results.append(page(preview, "alpha"))

        threads = [threading.Thread(target=hammer) for _ in range(4)]
        for thread in threads:
            thread.start()
        (small_site / "content" / "alpha.md").write_text("the alpha record, second version\n")
        wait_for(lambda: b"second version" in page(preview, "alpha")[1], message="the new page")
        stop.set()
        for thread in threads:
            thread.join()
        assert results
        assert [(status, body) for status, body in results if status != 200] == []
        assert all(body.rstrip().endswith(b"</html>") for _, body in results)


def test_event_stream_announces_builds_only_once_finished(small_site):
    with running(small_site) as preview:
        port = preview.server.server_address[1]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/__gazette__/events")
        response = conn.getresponse()
        assert response.status == 200 and response.getheader("Content-Type").startswith("text/event-stream")

        def next_status():
            while True:
                line = response.fp.readline()
                if line.startswith(b"data: "):
                    return json.loads(line[6:])

        first = next_status()
        (small_site / "content" / "alpha.md").write_text("alpha again\n")
        seen = [next_status()]
        while seen[-1]["building"] or seen[-1]["generation"] == first["generation"]:
            seen.append(next_status())
        assert seen[0]["building"] and seen[0]["generation"] == first["generation"]  # no reload mid-build
        assert seen[-1]["generation"] == first["generation"] + 1 and not seen[-1]["building"]
        conn.close()
        status = json.loads(request(preview, "/__gazette__/status")[1])
        assert status["generation"] == first["generation"] + 1


def test_live_state_wakes_waiters_on_close():
    live = LiveState()
    seen = live.status
    result = []
    thread = threading.Thread(target=lambda: result.append(live.wait_for_change(seen, timeout=10)))
    thread.start()
    live.close()
    thread.join(timeout=2)
    assert result == [None]


def test_stopping_leaves_only_the_built_site_and_ends_event_streams(small_site):
    before = {p.relative_to(small_site) for p in small_site.rglob("*")}
    with running(small_site) as preview:
        port = preview.server.server_address[1]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/__gazette__/events")
        response = conn.getresponse()
        out = preview.config.output_dir
    assert response.read() is not None  # the stream ends instead of hanging
    after = {p.relative_to(small_site) for p in small_site.rglob("*")}
    made = {p for p in after - before if out.relative_to(small_site) not in (p, *p.parents)}
    assert made == set()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


# -- the real build_site and ingest on the committed sample site -----------------------

@pytest.fixture
def sample_site(tmp_path) -> Path:
    site = tmp_path / "sample"
    shutil.copytree(SAMPLE, site)
    (site / "seeds").mkdir(exist_ok=True)
    return site


def _start_cli(site: Path, *options: str) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--site", str(site), "--port", "0", *options],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "NO_COLOR": "1"},
    )
    for line in process.stdout:
        if line.startswith("Serving "):
            return process, line.split()[1]
    process.kill()
    raise AssertionError("gazette serve never said where it serves: " + process.stderr.read())


def test_cli_serves_on_loopback_says_the_real_port_and_stops_cleanly_on_ctrl_c(sample_site):
    before = {p.relative_to(sample_site) for p in sample_site.rglob("*")}
    process, url = _start_cli(sample_site)
    try:
        assert url.startswith("http://127.0.0.1:") and not url.endswith(":0/")
        port = int(url.rsplit(":", 1)[1].strip("/"))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/")
        response = conn.getresponse()
        assert response.status == 200 and b"livereload.js" in response.read()
        # a failed rebuild is shown in the terminal too, and does not change the exit status once fixed
        template = sample_site / "themes" / "default" / "templates" / "article.html"
        template.parent.mkdir(parents=True)
        template.write_text("{% if %}\n", encoding="utf-8")

        def status():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/__gazette__/status")
            return json.loads(conn.getresponse().read())

        wait_for(lambda: status()["errors"], message="the template error")
        template.unlink()
        wait_for(lambda: not status()["errors"], message="recovery")
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert f"error: {template}:1: " in err
    assert "still serving the last good build" in err
    after = {p.relative_to(sample_site) for p in sample_site.rglob("*")}
    # what is left is what `gazette build` leaves: the output and its cache
    assert {p.parts[0] for p in after - before} <= {"public", ".gazette", "themes"}
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_a_port_in_use_is_a_clear_error(small_site):
    from generator.errors import GazetteError

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(GazetteError, match=f"cannot listen on 127.0.0.1:{port}.*--port"):
            Preview(load_config(small_site), port=port, reporter=SilentReporter(), build=page_build, ingest=copy_ingest)


def test_cli_warns_when_serving_on_another_interface(built_sample_copy):
    process, url = _start_cli(built_sample_copy, "--host", "0.0.0.0")  # built already: no build to wait for
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert url.startswith("http://0.0.0.0:")
    assert "warning: serving on 0.0.0.0" in err


def test_real_build_record_edit_template_error_recovery_and_search(sample_site):
    from generator.site.build import build_site

    slug = "le-royaume-uni-a-quitte-lunion-europeenne"
    record = sample_site / "content" / f"{slug}.md"
    with running(sample_site, build=build_site) as preview:
        before = preview.status
        assert before.generation == 1 and not before.errors
        status, body = page(preview, slug)
        assert status == 200
        assert request(preview, "/pagefind/pagefind.js")[0] == 200  # search works in the preview
        assert request(preview, "/search/")[0] == 200

        text = record.read_text(encoding="utf-8")
        record.write_text(text.replace("\n---\n", "\n---\nUne phrase ajoutée à la main.\n\n", 1), encoding="utf-8")
        wait_for(lambda: "Une phrase ajoutée à la main." in page(preview, slug)[1].decode(), message="the edit")
        after = settle(preview)  # taken in by the site model: one new generation, no build
        assert after.builds == before.builds and after.generation == before.generation + 1

        templates = sample_site / "themes" / "default" / "templates"
        templates.mkdir(parents=True)
        shipped = (ROOT / "themes" / "default" / "templates" / "article.html").read_text(encoding="utf-8")
        broken = shipped.replace("{%", "{% if %}{%", 1)
        (templates / "article.html").write_text(broken, encoding="utf-8")
        wait_for(lambda: preview.status.errors, message="the template error")
        line = broken[: broken.index("{% if %}")].count("\n") + 1
        assert preview.status.errors[0].startswith(f"{templates / 'article.html'}:{line}: ")
        status, body = page(preview, slug)
        assert status == 200 and "Une phrase ajoutée à la main." in body.decode()
        assert f"article.html:{line}:".encode() in body and b"gazette-error-overlay" in body

        (templates / "article.html").write_text(shipped.replace("</article>", "<p>fixed theme</p></article>", 1),
                                                encoding="utf-8")
        wait_for(lambda: not preview.status.errors, message="recovery")
        status, body = page(preview, slug)
        assert b"gazette-error-overlay" not in body and b"fixed theme" in body


def test_real_ingest_new_seed_appears_as_an_article(sample_site):
    from generator.site.build import build_site
    from generator.ingest.run import ingest

    with running(sample_site, build=build_site, ingest=ingest) as preview:
        before = preview.status
        (sample_site / "seeds" / "pont-lyon.txt").write_text(
            "Le maire de Lyon inaugure un nouveau pont\n\n"
            "Le maire de Lyon, Grégory Doucet, a inauguré mardi 4 mai 2021 un nouveau pont sur le Rhône. "
            "La cérémonie a réuni de nombreux habitants du quartier.\n\nLes travaux avaient commencé en 2018.\n",
            encoding="utf-8")
        slug = "le-maire-de-lyon-inaugure-un-nouveau-pont"
        wait_for(lambda: page(preview, slug)[0] == 200, timeout=120, message="the new seed's article page")
        assert "Grégory Doucet" in page(preview, slug)[1].decode()
        assert (sample_site / "content" / f"{slug}.md").exists()
        after = settle(preview)  # the record ingest wrote is taken in by the site model: no build
        assert after.generation > before.generation and after.builds == before.builds and not after.errors
