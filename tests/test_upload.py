"""`gazette build --output URL`: the site is built locally and uploaded
through fsspec (a file:// URL here: the tests have no network). The URL
ends up holding exactly the built site; a rebuild sends only what changed
and deletes what the site no longer has; an upload cut short is finished
by the next build; a folder that is not Gazette's is refused."""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import cloudpickle
import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.config import load_config
from generator.errors import BuildError
from generator.report import SilentReporter
from generator.site import cluster_render, upload
from generator.site.output import MARKER
from generator.site.upload import MANIFEST, build_and_upload, mirror_of

SAMPLE = Path(__file__).parent / "fixtures" / "sample-site"
TOUR = "le-tour-de-france-selance-de-nice"
cloudpickle.register_pickle_by_value(sys.modules[__name__])


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def site(tmp_path) -> Path:
    return shutil.copytree(SAMPLE, tmp_path / "site", ignore=shutil.ignore_patterns(".gazette", "public"))


def publish(site: Path, url: str, **options):
    return build_and_upload(load_config(site), url, reporter=SilentReporter(), **options)


def site_files_at(bucket: Path) -> dict[str, bytes]:
    found = files(bucket)
    manifest = json.loads(found.pop(MANIFEST))
    assert sorted(manifest) == sorted(found)  # the manifest names every file there, and only those
    return found


def test_the_url_holds_the_built_site_and_a_rebuild_sends_only_what_changed(site, tmp_path):
    bucket = tmp_path / "bucket" / "archives"
    url = bucket.as_uri()
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--output", url], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    mirror = mirror_of(load_config(site), url)
    built = files(mirror)
    del built[MARKER]  # the local copy's own
    assert site_files_at(bucket) == built
    assert not (site / "public").exists()  # the site's own output folder is not touched
    assert f"uploaded to {url}: {len(built)} file(s) sent" in result.output

    (site / "content" / f"{TOUR}.md").unlink()
    report = publish(site, url)
    after = files(mirror)
    del after[MARKER]
    assert site_files_at(bucket) == after
    assert not (bucket / "articles" / TOUR).exists()
    assert report.deleted >= 1 and 0 < report.uploaded < len(after) // 2 and report.unchanged > len(after) // 2

    again = publish(site, url)  # nothing changed: nothing is sent
    assert (again.uploaded, again.deleted) == (0, 0)


def test_files_are_sent_articles_first_and_the_entry_points_last(site, tmp_path, monkeypatch):
    sent: list[list[str]] = []
    put = upload.Target.put
    monkeypatch.setattr(upload.Target, "put", lambda self, folder, paths: sent.append(paths) or put(self, folder, paths))
    publish(site, (tmp_path / "bucket").as_uri())
    order = [path for group in sent for path in group]
    where = {path: n for n, path in enumerate(order)}
    articles = [where[p] for p in order if p.startswith("articles/")]
    assert max(articles) < min(where[p] for p in order if p.startswith(("people/", "archive/", "static/")))
    assert where["pagefind/pagefind-entry.json"] > max(where[p] for p in order if p.startswith("pagefind/fragment/"))
    assert min(where[p] for p in ("index.html", "feed.xml", "sitemap.xml", "search/index.html")) > \
        max(where[p] for p in order if p.endswith("pagefind-entry.json") or p.startswith("people/"))


def storage_full_after_the_articles(monkeypatch) -> None:
    from fsspec.implementations.local import LocalFileSystem

    put = LocalFileSystem.put
    calls = []

    def failing_after_the_articles(self, local_paths, remote_paths, **options):
        calls.append(remote_paths)
        if len(calls) > 1:
            raise OSError(28, "No space left on device")
        return put(self, local_paths, remote_paths, **options)

    monkeypatch.setattr(LocalFileSystem, "put", failing_after_the_articles)


def test_a_first_upload_cut_short_leaves_a_folder_the_next_build_finishes(site, tmp_path, monkeypatch):
    bucket = tmp_path / "bucket"
    storage_full_after_the_articles(monkeypatch)
    with pytest.raises(BuildError, match="No space left on device"):
        publish(site, bucket.as_uri())
    assert (bucket / "articles" / TOUR / "index.html").is_file() and not (bucket / "index.html").exists()
    monkeypatch.undo()
    publish(site, bucket.as_uri())  # the folder is Gazette's: its manifest was written first
    mirror = files(mirror_of(load_config(site), bucket.as_uri()))
    del mirror[MARKER]
    assert site_files_at(bucket) == mirror


def test_an_upload_cut_short_is_finished_by_the_next_build(site, tmp_path, monkeypatch):
    bucket = tmp_path / "bucket"
    url = bucket.as_uri()
    publish(site, url)
    record = site / "content" / f"{TOUR}.md"
    record.write_text(record.read_text(encoding="utf-8").replace("Nice", "Nice, sous le soleil"), encoding="utf-8")
    storage_full_after_the_articles(monkeypatch)
    with pytest.raises(BuildError, match="No space left on device.*build again to finish the upload"):
        publish(site, url)
    assert "sous le soleil" in (bucket / "articles" / TOUR / "index.html").read_text(encoding="utf-8")
    monkeypatch.undo()
    report = publish(site, url)  # the local copy is up to date: only the upload is left to do
    mirror = files(mirror_of(load_config(site), url))
    del mirror[MARKER]
    assert site_files_at(bucket) == mirror
    assert report.uploaded > 0


def test_a_folder_gazette_did_not_fill_is_refused_before_building(site, tmp_path):
    bucket = tmp_path / "bucket"
    bucket.mkdir()
    (bucket / "notes.txt").write_text("mine")
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--output", bucket.as_uri()])
    assert result.exit_code == 1
    assert f"refusing to upload into {bucket.as_uri()}: it holds files Gazette did not put there" in result.output
    assert (bucket / "notes.txt").read_text() == "mine" and len(list(bucket.iterdir())) == 1
    assert not (site / ".gazette" / "mirrors").exists() or not any((site / ".gazette" / "mirrors").rglob("*.html"))


def test_a_url_fsspec_cannot_write_to_is_one_error(site):
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--output", "nosuchproto://bucket/x"])
    assert result.exit_code == 1
    assert "'nosuchproto://bucket/x' is not a URL fsspec can write to" in result.output


def blind_render_chunk(job, templates, pages):
    """A worker on another machine: it does not see the client's local copy."""
    from generator.site import cluster_render as on_worker

    on_worker._sees_stage = lambda stage, token: False
    return on_worker.render_chunk(job, templates, pages)


def test_workers_that_cannot_see_the_local_copy_send_the_pages_back(site, tmp_path, monkeypatch):
    here = tmp_path / "here"
    publish(shutil.copytree(site, tmp_path / "site-here"), here.as_uri())
    monkeypatch.setattr(cluster_render, "render_chunk", blind_render_chunk)
    there = tmp_path / "there"
    publish(site, there.as_uri(), scheduler="local:2")
    def outside_search(found):  # Pagefind names its filter files differently from run to run
        return {p: data for p, data in found.items() if not p.startswith("pagefind") and p != MANIFEST}

    assert outside_search(files(there)) == outside_search(files(here))
    assert len(files(there)) == len(files(here))
