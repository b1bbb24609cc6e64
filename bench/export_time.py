"""Time the data export (generator/site/export.py) on a generated archive.

    python bench/export_time.py [N] [--runs 3] [--corpus DIR]

makes an N-article archive with bench/make_corpus.py (default 10,000; kept
in DIR to be reused, by default a temporary folder), loads its Library, and
times export_files() alone, a few runs, with the size of each file. The
export runs inside every build; compare its time with the build's (`gazette
build -v` prints "data exported" among its phases).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.config import load_config
from generator.report import SilentReporter
from generator.site.export import export_files
from generator.site.library import load_library, scan_content

BENCH_DIR = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", nargs="?", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", type=Path, help="where the generated archive is (made there when missing)")
    args = parser.parse_args()
    corpus = args.corpus or Path(tempfile.mkdtemp(prefix="gazette-export-"))
    site = corpus / "gazette"
    if not (site / "content").is_dir():
        subprocess.run([sys.executable, str(BENCH_DIR / "make_corpus.py"), str(args.articles), str(corpus),
                        "--formats", "gazette"], check=True)
    config = load_config(site)
    files = scan_content(config.content_dir, config.root)
    started = time.perf_counter()
    library = load_library(files, Path(tempfile.mkdtemp(prefix="gazette-cache-")), SilentReporter())
    print(f"{len(library.articles):,} articles, {len(library.entities):,} entities "
          f"(records read in {time.perf_counter() - started:.2f} s)")
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        output = export_files(library, "https://example.org/")
        times.append(time.perf_counter() - started)
    print(f"export: median {statistics.median(times):.3f} s over {args.runs} run(s) "
          f"({', '.join(f'{t:.3f}' for t in times)})")
    for path, data in output:
        print(f"  {path}: {len(data) / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
