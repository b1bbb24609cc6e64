"""Time and peak memory of `gazette ingest` on one very long article.

    .venv/bin/python bench/long_article.py [--megabytes 5]

The article is generated (French paragraphs naming people, places and
organisations, every paragraph different), written as the only seed of a
fresh site, and ingested by `gazette ingest` in a child process with an
empty cache, so loading spaCy counts. Prints the wall time, the child's
peak resident memory, and the record's most frequent people. Needs no corpus.
"""
from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PEOPLE = ["Emmanuel Macron", "Angela Merkel", "Jean-Yves Le Drian", "Christine Lagarde", "Barack Obama"]
PLACES = ["Paris", "Berlin", "Lyon", "Marseille", "Bruxelles", "Genève"]
ORGANISATIONS = ["l’ONU", "l’OTAN", "la Commission européenne", "le FMI"]


def long_article(megabytes: float, seed: int = 1) -> str:
    pick = random.Random(seed).choice
    paragraphs, size, number = [], 0, 0
    while size < megabytes * 1_000_000:
        number += 1
        paragraph = (f"Lors de la séance numéro {number}, {pick(PEOPLE)} a rencontré {pick(PEOPLE)} à "
                     f"{pick(PLACES)}, où les représentants de {pick(ORGANISATIONS)} ont discuté de la "
                     f"situation économique. Selon plusieurs sources, la réunion a duré plus de trois heures. ") * 3
        paragraphs.append(paragraph.strip())
        size += len(paragraph.encode("utf-8")) + 2
    return "Un très long rapport sur les réunions européennes\n\n" + "\n\n".join(paragraphs) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=5.0)
    args = parser.parse_args()
    from generator.records import parse_record

    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder)
        (site / "seeds").mkdir()
        (site / "site.toml").write_text('title = "Bench"\nlanguage = "fr"\n', encoding="utf-8")
        seed = site / "seeds" / "long_report.txt"
        seed.write_text(long_article(args.megabytes), encoding="utf-8")
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "generator", "ingest", "--site", str(site), "-q"],
                              capture_output=True, text=True)
        seconds = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if done.returncode != 0:
            print(done.stderr)
            return 1
        record = parse_record((site / "content").glob("*.md").__next__().read_text(encoding="utf-8"), seed)
        print(f"{seed.stat().st_size / 1e6:.1f} MB article: ingested in {seconds:.1f} s, "
              f"peak memory {peak_mb:.0f} MB")
        print("people:", ", ".join(f"{t.name} ({t.mentions})" for t in record.entities.person[:5]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
