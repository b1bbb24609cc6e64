"""Throughput of the enrichment stage (and of the whole `gazette ingest`), in
articles per second, model load included.

    .venv/bin/python bench/ingest_throughput.py [--articles 1000] [--runs 3] [--corpus PATH]

The articles (~400 words each) are made deterministically from the WiNER-fr
2016 texts: consecutive articles' paragraphs are joined until an article has
400 words. Every measurement runs in a fresh Python process on a fresh site
(empty cache), so importing spaCy and loading the model count; the figure is
the median of --runs runs. Measured in the same run:

- stage, 1 process / 2 processes: Enricher.enrich on all articles
  (nlp.pipe with n_process=1 or 2);
- stage, cached: the same call again on the same site (no NLP at all);
- baseline: the same texts through the model's full default pipeline
  (spacy.load(name) with every component, nlp.pipe, one process), to show
  what loading only the NER component saves;
- ingest: `gazette ingest` on a temporary site whose seeds/ holds the
  articles as .txt files (when generator/ingest/run.py exists), then again
  (everything cached and unchanged);
- ingest on a cluster: the same with `--scheduler ADDRESS` for each
  --scheduler given (`local:2`, or a running cluster's tcp://HOST:PORT),
  the LocalCluster's start and stop included.

Skips with a message when the corpus is absent.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_CORPUS = ROOT.parent / "shared/corpora/winer-fr-2016/winer-fr-2016.jsonl"
WORDS = 400
from generator.config import DEFAULT_NLP_MODELS  # noqa: E402

MODEL = DEFAULT_NLP_MODELS["fr"]  # --model changes it


def make_articles(corpus: Path, count: int) -> list[tuple[str, str]]:
    """(title, body) pairs of about WORDS words, the same on every call."""
    docs = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    paragraphs = [(d["title"], [p for p in d["text"].split("\n\n")[1:] if p.strip()]) for d in docs]
    articles, seen, i = [], set(), 0
    while len(articles) < count:
        title, body, words = paragraphs[i % len(paragraphs)][0], [], 0
        while words < WORDS:
            # each lap over the corpus joins other neighbours (stride 1, 3, 5, …)
            lap = i // len(paragraphs)
            parts = paragraphs[(i * (2 * lap + 1)) % len(paragraphs)][1]
            for p in parts:
                kept = p.split(" ")[:WORDS - words]  # the last paragraph is cut at WORDS words
                body.append(" ".join(kept))
                words += len(kept)
                if words >= WORDS:
                    break
            i += 1
        text = "\n\n".join(body)
        if text not in seen:  # one long article alone would come back on the next lap
            seen.add(text)
            articles.append((f"{title} ({len(articles) + 1})", text))
    return articles


# workers: each runs in its own process -----------------------------------------

def worker_stage(site: Path, articles_file: Path, processes: int) -> float:
    from generator.config import load_config
    from generator.enrich import EnrichInput, Enricher
    from generator.report import SilentReporter

    articles = json.loads(articles_file.read_text(encoding="utf-8"))
    items = [EnrichInput(t, b, "fr", None) for t, b in articles]
    start = time.perf_counter()
    Enricher(load_config(site), SilentReporter(), processes=processes).enrich(items)
    return time.perf_counter() - start


def worker_baseline(articles_file: Path) -> float:
    start = time.perf_counter()
    import spacy

    articles = json.loads(articles_file.read_text(encoding="utf-8"))
    nlp = spacy.load(MODEL)
    for _ in nlp.pipe((f"{t}\n\n{b}" for t, b in articles), batch_size=64):
        pass
    return time.perf_counter() - start


def in_fresh_process(*args: str) -> float:
    out = subprocess.run([sys.executable, __file__, "--model", MODEL, "--worker", *args], check=True,
                         capture_output=True, text=True).stdout
    return float(out.strip().splitlines()[-1])


def timed_ingest(site: Path, scheduler: str | None = None) -> float:
    start = time.perf_counter()
    on_cluster = ["--scheduler", scheduler] if scheduler else []
    subprocess.run([sys.executable, "-m", "generator", "ingest", "--site", str(site), "-q", *on_cluster],
                   check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def make_site(folder: Path, articles: list[tuple[str, str]] | None = None) -> Path:
    folder.mkdir(parents=True)
    (folder / "site.toml").write_text(f'language = "fr"\n\n[nlp.models]\nfr = "{MODEL}"\n', encoding="utf-8")
    if articles is not None:
        seeds = folder / "seeds"
        seeds.mkdir()
        for n, (title, body) in enumerate(articles):
            (seeds / f"article-{n:05d}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return folder


def main() -> int:
    global MODEL
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--model", default=DEFAULT_NLP_MODELS["fr"], help="the spaCy model (default: a new site's French model)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--no-ingest", action="store_true", help="measure the enrichment stage only")
    parser.add_argument("--scheduler", action="append", default=[],
                        help="also measure `gazette ingest --scheduler SCHEDULER` (repeatable: local:1, local:2, …)")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    MODEL = args.model

    if args.worker:
        kind, *rest = args.worker
        if kind == "stage":
            print(worker_stage(Path(rest[0]), Path(rest[1]), int(rest[2])))
        else:
            print(worker_baseline(Path(rest[0])))
        return 0

    if not args.corpus.is_file():
        print(f"skipped: corpus not found at {args.corpus} (it lives in the shared folder, not in the project)")
        return 0
    articles = make_articles(args.corpus, args.articles)
    words = statistics.mean(len(f"{t} {b}".split()) for t, b in articles)
    print(f"{len(articles)} articles of {words:.0f} words on average, model {MODEL}, median of {args.runs} runs")
    with_ingest = not args.no_ingest and (ROOT / "generator" / "ingest" / "run.py").exists()

    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = tmp / "articles.json"
        data.write_text(json.dumps(articles, ensure_ascii=False), encoding="utf-8")
        for run in range(args.runs):
            for processes in (1, 2):
                site = make_site(tmp / f"stage-{run}-{processes}")
                times.setdefault(f"stage, {processes} process(es)", []).append(
                    in_fresh_process("stage", str(site), str(data), str(processes)))
                if processes == 2:
                    times.setdefault("stage, cached (second run)", []).append(
                        in_fresh_process("stage", str(site), str(data), "2"))
            times.setdefault("baseline: full default pipeline, 1 process", []).append(
                in_fresh_process("baseline", str(data)))
            if with_ingest:
                site = make_site(tmp / f"ingest-{run}", articles)
                times.setdefault("gazette ingest (empty cache)", []).append(timed_ingest(site))
                times.setdefault("gazette ingest again (cached, unchanged)", []).append(timed_ingest(site))
                for n, scheduler in enumerate(args.scheduler):
                    site = make_site(tmp / f"ingest-{run}-cluster-{n}", articles)
                    times.setdefault(f"ingest --scheduler {scheduler}", []).append(timed_ingest(site, scheduler))
            print(f"  run {run + 1}/{args.runs} done", file=sys.stderr)

    baseline = statistics.median(times["baseline: full default pipeline, 1 process"])
    print(f"{'':44}{'seconds':>9}{'articles/s':>12}{'vs baseline':>13}")
    for label, values in times.items():
        seconds = statistics.median(values)
        print(f"{label:44}{seconds:9.2f}{len(articles) / seconds:12.1f}{baseline / seconds:12.2f}x")
    if not with_ingest:
        print("(gazette ingest not measured)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
