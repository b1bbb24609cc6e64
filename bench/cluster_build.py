"""A clean build on this machine against the same build with its article
pages rendered on a Dask cluster (`gazette build --scheduler`), on the
synthetic archive of bench/make_corpus.py; and whether the two sites are
the same files (Pagefind's filter files compared regardless of their order,
which Pagefind does not keep from one run to the next).

    python bench/cluster_build.py N [--scheduler local:2] [--work DIR]

Prints one line per build (seconds, peak memory of the client) and the
comparison. A LocalCluster shares this machine's cores with the client:
the figure that matters past one machine is the client's own time, which
the article pages no longer take.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(site: Path, *options: str) -> tuple[float, int]:
    """Seconds and the peak memory (MiB) of a clean `gazette build` of `site`."""
    shutil.rmtree(site / "public", ignore_errors=True)
    shutil.rmtree(site / ".gazette", ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", "build", "-q", "--site", str(site), *options],
                   check=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024


def fingerprint(folder: Path) -> dict[str, object]:
    """Site path → SHA-256 of every file; a folder's Pagefind filter files as
    the sorted digests of their sorted bytes; the files naming them left out."""
    found: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if not path.is_file() or name == ".gazette-build" or name.endswith((".pf_meta", "pagefind-entry.json")):
            continue
        if "/filter/" in name:
            key = name.rsplit("/", 1)[0] + "/*"
            found[key] = sorted([*found.get(key, []),
                                 hashlib.sha256(bytes(sorted(gzip.decompress(path.read_bytes())))).hexdigest()])
        else:
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--scheduler", default="local:2")
    parser.add_argument("--work", type=Path, default=None, help="folder for the corpus (default: a temporary one)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="gazette-cluster-bench-"))
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), str(args.n), str(work),
                    "--formats", "gazette"], check=True, stdout=subprocess.DEVNULL)
    site = work / "gazette"
    local_seconds, local_peak = build(site)
    local = fingerprint(site / "public")
    cluster_seconds, _ = build(site, "--scheduler", args.scheduler)
    cluster = fingerprint(site / "public")
    print(f"{args.n} articles, local build: {local_seconds:.1f} s (peak of any build so far {local_peak} MiB)")
    print(f"{args.n} articles, --scheduler {args.scheduler}: {cluster_seconds:.1f} s (cluster start included)")
    same = local == cluster
    print(f"same files: {same} ({len(local)} files and filter folders compared)")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
