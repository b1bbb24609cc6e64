"""Article bodies in a clean build (render.start_rendering_bodies): a worker
renders them from the last page back while the pages, from the first,
render those it has not reached; they meet in between, nobody waits, and
every body ends up in the memo for the next build."""
from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace

from generator.config import load_config
from generator.report import SilentReporter
from generator.site import render
from generator.site.library import index_records, load_parsed, scan_content
from generator.site.render import BodiesOnDemand, BodyStore, _render_into_store
from test_build import build, copy_sample, snapshot


def record_files(folder: Path, n: int) -> list[tuple[str, tuple[str, str, str]]]:
    """n record files; as start_rendering_bodies lists them: (body key, (file, as shown, file SHA-256))."""
    folder.mkdir(parents=True)
    missing = []
    for i in range(n):
        data = f"---\ntitle: Article {i}\n---\nLe *corps* numéro {i}.\n".encode()
        path = folder / f"a{i}.md"
        path.write_bytes(data)
        missing.append((f"body-{i}", (str(path), f"content/a{i}.md", hashlib.sha256(data).hexdigest())))
    return missing


def test_the_worker_renders_from_the_last_body_back_to_where_the_pages_got(tmp_path, monkeypatch):
    missing = record_files(tmp_path / "content", 40)
    monkeypatch.setattr(render, "_pages_reached", SimpleNamespace(value=25))  # the pages asked for 25 bodies
    _render_into_store(tmp_path / "cache", missing)
    stored = BodyStore(tmp_path / "cache").known()
    assert stored == {f"body-{i}" for i in range(25, 40)}
    assert BodyStore(tmp_path / "cache").get("body-39") == "<p>Le <em>corps</em> numéro 39.</p>\n"


def test_bodies_the_worker_has_not_reached_are_rendered_by_the_pages_and_stored_in_batches(tmp_path):
    config = load_config(copy_sample(tmp_path / "site"))
    files = scan_content(config.content_dir, config.root, SilentReporter(), config.cache_dir)
    library, _ = index_records(load_parsed(files, config.cache_dir, SilentReporter()))
    store = BodyStore(tmp_path / "cache")
    asked: list[str] = []
    bodies = BodiesOnDemand(library, config.root, store, asked.append, batch=3)
    slugs = list(library.position)[:5]
    html = [bodies[slug] for slug in slugs]
    assert asked == [library.article(s).text.sha256 for s in slugs]  # the worker is told how far the pages got
    assert all(h.startswith("<") for h in html)
    assert len(store.known()) == 3  # one batch stored, two waiting
    bodies.flush()
    assert store.known() == {library.article(s).text.sha256 for s in slugs}
    assert [bodies[slug] for slug in slugs] == html


def test_a_build_sharing_its_bodies_with_the_worker_writes_the_same_pages(tmp_path, monkeypatch):
    alone = copy_sample(tmp_path / "alone")
    monkeypatch.setattr(render, "BODY_WORKER_FROM", 10**9)  # every body rendered by the pages
    build(alone)
    shared = copy_sample(tmp_path / "shared")
    monkeypatch.setattr(render, "BODY_WORKER_FROM", 1)
    report, _ = build(shared)
    ours = {path: digest for path, (digest, _) in snapshot(shared / "public", rebuilt=True).items()}
    theirs = {path: digest for path, (digest, _) in snapshot(alone / "public", rebuilt=True).items()}
    assert ours == theirs
    # whoever rendered them, every body is in the memo for the next build
    held = BodyStore(shared / ".gazette").known()
    assert len(held) >= report.articles > 0
