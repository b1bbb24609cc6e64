"""`gazette ingest --scheduler`: seeds read, cleaned and tagged on a Dask
cluster give the records a local ingest gives, byte for byte; a worker lost
mid-run loses no seed (it is read again, or named in an error); a real
`dask scheduler` with two `dask worker` processes on loopback serves it as a
LocalCluster does; a cluster that cannot be reached is one error naming it.

Every cluster here is on 127.0.0.1 and stopped by the test that started it.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.cluster import connect
from generator.config import load_config
from generator.enrich.entities import installed_model
from generator.ingest.run import ingest
from generator.records import parse_record
from generator.report import SilentReporter
from fakes import FRENCH_MODEL, FakeEnricher

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "000_fc8e0b7d4480e49e.txt"
ARTICLES = 200

needs_model = pytest.mark.skipif(installed_model(FRENCH_MODEL) is None, reason=f"{FRENCH_MODEL} not installed")


def _make_corpus():
    spec = importlib.util.spec_from_file_location("bench_make_corpus", REPO / "bench" / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> Path:
    """The repository's seed and 200 synthetic articles, as raw text seeds."""
    folder = tmp_path_factory.mktemp("cluster-seeds")
    corpus = _make_corpus()
    for article in corpus.articles(corpus.make_name_pool(11), 11, ARTICLES):
        (folder / corpus.seed_name(article)).write_text(corpus.seed_text(article), encoding="utf-8")
    shutil.copy(SEED, folder / SEED.name)
    return folder


def new_site(root: Path, seeds: Path) -> Path:
    """A site whose seeds/ holds a copy of `seeds`."""
    shutil.copytree(seeds, root / "seeds")
    return root


def tree(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.md"))}


def run_cli(site: Path, *args: str):
    return CliRunner().invoke(main, ["ingest", "--site", str(site), *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def local_records(tmp_path_factory, seeds) -> dict[str, str]:
    """The records a local ingest (real model) writes from `seeds`."""
    site = new_site(tmp_path_factory.mktemp("local-site"), seeds)
    result = run_cli(site)
    assert result.exit_code == 0, result.output
    return tree(site / "content")


@needs_model
def test_a_local_cluster_writes_the_records_a_local_ingest_writes(tmp_path, seeds, local_records):
    site = new_site(tmp_path / "site", seeds)
    result = run_cli(site, "--scheduler", "local:2")
    assert result.exit_code == 0, result.output
    assert len(local_records) == ARTICLES + 1
    assert tree(site / "content") == local_records
    record = (site / "content" / next(iter(local_records))).read_text(encoding="utf-8")
    assert "entities:" in record and "person:" in record  # tagged on the workers, not merely cleaned
    # the workers sent their tags back: the client's cache serves the next run without a cluster
    assert len(list((site / ".gazette" / "enrich").rglob("*.pickle"))) == ARTICLES + 1
    again = run_cli(site)
    assert again.exit_code == 0 and f"0 written, {ARTICLES + 1} unchanged" in again.output


def test_the_scheduler_of_site_toml_is_used_and_the_option_overrides_it(tmp_path):
    site = tmp_path / "site"
    (site / "seeds").mkdir(parents=True)
    shutil.copy(SEED, site / "seeds")
    (site / "site.toml").write_text('[ingest]\nscheduler = "local:1"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", "--site", str(site)], obj={"enricher": FakeEnricher()},
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "reading and tagging on the Dask cluster at tcp://127.0.0.1:" in result.output
    assert "(1 worker(s))" in result.output and len(list((site / "content").glob("*.md"))) == 1
    # nothing listens at port 9 (discard): only the option's cluster can have read the seed
    (site / "site.toml").write_text('[ingest]\nscheduler = "tcp://127.0.0.1:9"\n', encoding="utf-8")
    (site / "seeds" / "second.txt").write_text("Un second article\n\nAvec un paragraphe.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", "--site", str(site), "--scheduler", "local:2"],
                                obj={"enricher": FakeEnricher()}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "(2 worker(s))" in result.output and len(list((site / "content").glob("*.md"))) == 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_scheduler_out_of_reach_is_one_error_naming_it(tmp_path, monkeypatch):
    monkeypatch.setattr("generator.cluster.CONNECT_TIMEOUT", 1.0)
    site = tmp_path / "site"
    (site / "seeds").mkdir(parents=True)
    shutil.copy(SEED, site / "seeds")
    address = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    result = run_cli(site, "--scheduler", address)
    assert result.exit_code == 1
    assert f"error: cannot reach the Dask scheduler at {address} within 1 s" in result.output
    assert "Traceback" not in result.output
    assert not (site / "content").exists() or not any((site / "content").iterdir())


def test_a_wrong_scheduler_is_refused_before_anything_runs(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    result = run_cli(site, "--scheduler", "local:0")
    assert result.exit_code == 2
    assert "local:N needs a number of workers N of at least 1" in result.output
    (site / "site.toml").write_text('title = "A"\n[ingest]\nscheduler = "local:zero"\n', encoding="utf-8")
    result = run_cli(site)
    assert result.exit_code == 1
    assert "site.toml:3: 'ingest.scheduler': 'local:zero': local:N needs a number of workers" in result.output


# ---------------------------------------------------------------- a worker lost

class KillingReporter(SilentReporter):
    """Kills the process `pid` once `after` seeds have come back from the workers."""

    def __init__(self, pid: int, after: int):
        super().__init__()
        self.pid, self.after = pid, after
        self.killed = False

    def progress(self, items, total, label, threshold=20):
        for n, item in enumerate(items):
            if n == self.after and label == "reading":
                os.kill(self.pid, signal.SIGKILL)
                self.killed = True
            yield item


def test_a_worker_killed_mid_run_loses_no_seed(tmp_path, seeds):
    site = new_site(tmp_path / "site", seeds)
    with connect("local:2") as client:
        # each seed takes a while on the workers that run now (not on the one started in place of the
        # killed one): the killed worker has seeds in hand when it dies
        def slow_down():
            import time as clock

            import generator.ingest.on_cluster as on_cluster

            original = on_cluster.prepared
            on_cluster.prepared = lambda *args: (clock.sleep(0.02), original(*args))[1]

        client.run(slow_down)
        pids = client.run(os.getpid)
        victim = sorted(pids.values())[0]
        reporter = KillingReporter(victim, after=10)
        report = ingest(load_config(site), [site / "seeds"], reporter=reporter, enricher=FakeEnricher(),
                        cluster=client)
        assert reporter.killed and victim not in client.run(os.getpid).values()
    assert reporter.errors == []
    assert len(report.written) == ARTICLES + 1
    assert {p.name for p in report.written} == {p.name for p in (site / "content").glob("*.md")}


def test_a_seed_whose_worker_dies_twice_is_named_and_the_others_are_written(tmp_path, seeds):
    from distributed import WorkerPlugin

    site = new_site(tmp_path / "site", seeds)
    poison = site / "seeds" / "poison.txt"
    poison.write_text("Un article\n\nQui tue le processus qui le lit.\n", encoding="utf-8")

    class KillOnPoison(WorkerPlugin):
        """Every worker, the ones started after a death too, dies reading poison.txt."""

        def setup(self, worker):
            import os as system

            import generator.ingest.on_cluster as on_cluster

            original = on_cluster.prepared

            def prepared(path, *args):
                if path.name == "poison.txt":
                    system._exit(1)
                return original(path, *args)

            on_cluster.prepared = prepared

    with connect("local:2") as client:
        client.register_plugin(KillOnPoison(), name="kill-on-poison")
        reporter = SilentReporter()
        report = ingest(load_config(site), [site / "seeds"], reporter=reporter, enricher=FakeEnricher(),
                        cluster=client)
    # the seeds sent with it in one task, lost with it, are sent again one by one: only the poison is lost
    assert [(Path(p.path).name, p.message) for p in reporter.errors] == [
        ("poison.txt", "the cluster lost this seed's worker twice; not read")]
    recorded = {Path(parse_record(p.read_text(encoding="utf-8"), p).source_path).name for p in report.written}
    assert recorded == {p.name for p in (site / "seeds").iterdir()} - {"poison.txt"}
    assert report.problems == 1


@needs_model
def test_articles_whose_tagging_worker_dies_twice_are_named_and_the_others_are_written(tmp_path, seeds):
    from distributed import WorkerPlugin

    site = tmp_path / "site"
    (site / "seeds").mkdir(parents=True)
    for seed in sorted(seeds.glob("0000*.txt"))[:70]:  # two batches for the model: 64, then 6 and the poison
        shutil.copy(seed, site / "seeds")
    (site / "seeds" / "zz-poison.txt").write_text("POISON\n\nUn article qui tue le processus qui le tague.\n",
                                                  encoding="utf-8")

    class KillOnPoison(WorkerPlugin):
        """Every worker dies tagging a batch that holds the poison; others get no tags (no model loaded)."""

        def setup(self, worker):
            import os as system

            from generator.enrich import Enricher

            def analyse_in_worker(enricher, lang, todo):
                if any("POISON" in text for _, _, text, _ in todo):
                    system._exit(1)
                return [(i, ()) for i, *_ in todo]

            Enricher.analyse_in_worker = analyse_in_worker

    with connect("local:2") as client:
        client.register_plugin(KillOnPoison(), name="kill-on-poison")
        reporter = SilentReporter()
        report = ingest(load_config(site), [site / "seeds"], reporter=reporter, cluster=client)
    # the articles of its batch, lost with it, are sent again one by one: only the poison is lost
    assert [(Path(p.path).name, p.message) for p in reporter.errors] == [
        ("zz-poison.txt", "the cluster lost this seed's worker twice; not tagged, not written")]
    recorded = {Path(parse_record(p.read_text(encoding="utf-8"), p).source_path).name for p in report.written}
    assert recorded == {p.name for p in (site / "seeds").iterdir()} - {"zz-poison.txt"}


# ---------------------------------------------------------------- dask scheduler, dask worker

def start(*args: str, log: Path) -> subprocess.Popen:
    handle = log.open("wb")
    return subprocess.Popen([sys.executable, "-m", *args], stdout=handle, stderr=subprocess.STDOUT,
                            cwd=log.parent, start_new_session=True)


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def scheduler_address(scheduler_file: Path, scheduler: subprocess.Popen) -> str:
    """The address the scheduler writes to its file once it listens."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and scheduler.poll() is None:
        try:
            return json.loads(scheduler_file.read_text(encoding="utf-8"))["address"]
        except (OSError, ValueError, KeyError):  # not written yet, or not whole
            time.sleep(0.2)
    raise AssertionError(f"the scheduler gave no address: {scheduler_file.parent / 'scheduler.log'}")


@needs_model
def test_a_dask_scheduler_and_two_dask_workers_on_loopback_ingest_as_locally(tmp_path, seeds, local_records):
    state = tmp_path / "cluster"
    state.mkdir()
    scheduler_file = state / "scheduler.json"  # the address the scheduler took (port 0: any free one)
    processes = [start("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                       "--no-dashboard", "--scheduler-file", str(scheduler_file), log=state / "scheduler.log")]
    try:
        address = scheduler_address(scheduler_file, processes[0])
        assert address.startswith("tcp://127.0.0.1:")
        for n in range(2):
            processes.append(start("distributed.cli.dask_worker", address, "--host", "127.0.0.1",
                                   "--nthreads", "1", "--no-dashboard", "--name", f"worker-{n}",
                                   log=state / f"worker-{n}.log"))
        from distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        site = new_site(tmp_path / "site", seeds)
        result = run_cli(site, "--scheduler", address)
        assert result.exit_code == 0, result.output
        assert tree(site / "content") == local_records
    finally:
        stop(processes)
    assert all(process.returncode is not None for process in processes)
