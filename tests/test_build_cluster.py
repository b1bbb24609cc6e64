"""`gazette build --scheduler`: the article pages rendered by a Dask cluster's
workers give the site a local build gives, file for file; workers that
cannot see the output folder, or a cluster that loses its workers, fail the
build with one clear error and leave the previous site as it was; a lost
worker's pages are rendered again.

Every cluster here is a LocalCluster of two worker processes on 127.0.0.1
(`local:2`), started and stopped by the build itself.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import sys
from pathlib import Path

import cloudpickle
import pytest
from click.testing import CliRunner

import generator.site.build
import generator.site.page_writer
from generator.cli import main
from generator.config import load_config
from generator.errors import BuildError
from generator.report import SilentReporter
from generator.site import cluster_render
from generator.site.build import build_site
from generator.site.output import MARKER

SAMPLE = Path(__file__).parent / "fixtures" / "sample-site"
# the functions below travel to the workers by value (the workers cannot import this test module)
cloudpickle.register_pickle_by_value(sys.modules[__name__])


def sample(root: Path) -> Path:
    """The sample site, its 32 articles dealt to 7 search shards."""
    site = shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns(".gazette", "public"))
    with (site / "site.toml").open("a", encoding="utf-8") as toml:
        toml.write("search_shard_size = 5\n")
    return site


def build(site: Path, **options):
    return build_site(load_config(site), reporter=SilentReporter(), **options)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def comparable(site_files: dict[str, bytes]) -> dict[str, bytes]:
    """The files as two builds of the same inputs must have them. Pagefind
    writes the same fragments and word indexes for the same pages, but its
    filter files in an order of its own from run to run (a local build and
    the next differ there too), and the files naming them by digest (its
    meta and entry files) with them: a filter file is compared by its
    bytes in sorted order, the entry and meta files by their count. The
    marker's output id is random."""
    shown: dict[str, bytes] = {}
    for path, data in site_files.items():
        name = path.rsplit("/", 1)[-1]
        if path == MARKER:
            shown[path] = b"\n".join(line for line in data.splitlines() if not line.startswith(b"output: "))
        elif "/filter/" in path:
            folder = path.rsplit("/", 1)[0]
            key = f"{folder}/filter #{hashlib.sha256(bytes(sorted(gzip.decompress(data)))).hexdigest()}"
            shown[key] = b"%d" % (int(shown.get(key, b"0")) + 1)
        elif name.endswith(".pf_meta") or name == "pagefind-entry.json":
            key = f"{path.rsplit('/', 1)[0]}/{name.split('_')[0] if name.endswith('.pf_meta') else name}"
            shown[key] = b"%d" % (int(shown.get(key, b"0")) + 1)
        else:
            shown[path] = data
    return shown


@pytest.fixture(scope="module")
def local_build(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """The sample site built here, without a cluster: the site and its output's files."""
    site = sample(tmp_path_factory.mktemp("local") / "site")
    build(site)
    return site, files(site / "public")


def rebuild_from_nothing(site: Path) -> None:
    shutil.rmtree(site / "public", ignore_errors=True)
    shutil.rmtree(site / ".gazette", ignore_errors=True)


def test_a_site_rendered_on_the_cluster_is_the_site_built_here(local_build, monkeypatch):
    site, expected = local_build
    rebuild_from_nothing(site)
    monkeypatch.setattr(cluster_render, "CHUNK_PAGES", 2)  # several tasks per shard
    rendered_here = []
    local_page_bytes = generator.site.page_writer.page_bytes
    monkeypatch.setattr(generator.site.page_writer, "page_bytes",
                        lambda page, *args: rendered_here.append(page.kind) or local_page_bytes(page, *args))
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--scheduler", "local:2"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "built 32 articles" in result.output
    assert comparable(files(site / "public")) == comparable(expected)
    assert "article" not in rendered_here and len(rendered_here) > 100  # the other pages were rendered here
    assert not [p for p in site.iterdir() if p.name.startswith(".public")]  # no staging folder left


def test_an_unchanged_page_rendered_on_the_cluster_keeps_its_file(tmp_path):
    site = sample(tmp_path / "site")
    build(site)
    article = site / "public" / "articles" / "le-tour-de-france-selance-de-nice" / "index.html"
    before = article.stat()
    (site / ".gazette" / "pages.pickle").unlink()  # every page is rendered again, none kept by its key
    with (site / "site.toml").open("a", encoding="utf-8") as toml:
        toml.write("feed_items = 3\n")  # a clean build, whose article pages do not change
    report = build(site, scheduler="local:2")
    after = article.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert not report.in_place and report.files_unchanged >= 32 and report.pages_written > 0  # the feeds changed


def blind_render_chunk(job, templates, pages):
    """A worker that does not mount the output folder."""
    from generator.site import cluster_render as on_worker

    on_worker._sees_stage = lambda stage, token: False
    return on_worker.render_chunk(job, templates, pages)


def test_workers_that_cannot_see_the_output_folder_fail_the_build_and_keep_the_site(local_build, tmp_path,
                                                                                      monkeypatch):
    site = sample(tmp_path / "site")
    shutil.copytree(local_build[0] / "public", site / "public")
    before = files(site / "public")
    with (site / "site.toml").open("a", encoding="utf-8") as toml:
        toml.write("feed_items = 3\n")  # something to build again
    monkeypatch.setattr(cluster_render, "render_chunk", blind_render_chunk)
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--scheduler", "local:2"])
    assert result.exit_code == 1
    assert "workers cannot see the output folder" in result.output and str(site) in result.output
    assert "give a folder every worker mounts at the same path, or an fsspec URL" in result.output
    assert "Traceback" not in result.output
    assert files(site / "public") == before
    assert not [p for p in site.iterdir() if p.name.startswith(".public")]


def dying_render_chunk(job, templates, pages):
    """Kills its worker while the count in the file next to the site says so."""
    from generator.site import cluster_render as on_worker

    deaths = Path(job.stage).parent / "deaths"
    left = int(deaths.read_text())
    if left > 0:
        deaths.write_text(str(left - 1))
        os._exit(1)
    return on_worker.render_chunk(job, templates, pages)


def test_a_lost_worker_s_pages_are_rendered_again(local_build, tmp_path, monkeypatch):
    site = sample(tmp_path / "site")
    (site / "deaths").write_text("1")
    monkeypatch.setattr(cluster_render, "render_chunk", dying_render_chunk)
    build(site, scheduler="local:2")
    assert (site / "deaths").read_text() == "0"
    built, expected = comparable(files(site / "public")), comparable(local_build[1])
    del built[MARKER], expected[MARKER]  # the site folder differs, and so the inputs' fingerprint
    assert built == expected


def test_a_cluster_that_keeps_losing_its_workers_fails_the_build_and_keeps_the_site(local_build, tmp_path,
                                                                                   monkeypatch):
    site = sample(tmp_path / "site")
    shutil.copytree(local_build[0] / "public", site / "public")
    before = files(site / "public")
    (site / "deaths").write_text("100")
    with (site / "site.toml").open("a", encoding="utf-8") as toml:
        toml.write("feed_items = 3\n")
    monkeypatch.setattr(cluster_render, "render_chunk", dying_render_chunk)
    with pytest.raises(BuildError, match="lost the workers rendering a chunk of article pages"):
        build(site, scheduler="local:2")
    assert files(site / "public") == before
    assert not [p for p in site.iterdir() if p.name.startswith(".public")]


def test_without_a_scheduler_the_build_does_not_load_dask(tmp_path):
    import subprocess

    site = sample(tmp_path / "site")
    code = ("import sys; from generator.cli import main; sys.argv = ['gazette', 'build', '-q', '--site', sys.argv[1]]\n"
            "try:\n    main()\nexcept SystemExit as end:\n    assert not end.code, end.code\n"
            "assert 'distributed' not in sys.modules and 'dask' not in sys.modules, 'dask was imported'")
    done = subprocess.run([sys.executable, "-c", code, str(site)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})
    assert done.returncode == 0, done.stderr
    assert (site / "public" / "index.html").is_file()


def other_code_render_chunk(job, templates, pages):
    """A worker where another version of Gazette is installed."""
    from generator.site import cluster_render as on_worker

    on_worker._worker_code = lambda: "another version"
    return on_worker.render_chunk(job, templates, pages)


def test_a_worker_running_other_code_refuses_the_work(tmp_path, monkeypatch):
    site = sample(tmp_path / "site")
    monkeypatch.setattr(cluster_render, "render_chunk", other_code_render_chunk)
    with pytest.raises(BuildError, match=r"the Dask worker tcp://127\.0\.0\.1:\d+ runs another version of Gazette"):
        build(site, scheduler="local:2")
    assert not (site / "public").exists()
