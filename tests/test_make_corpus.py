"""The benchmark corpus generator: same bytes every run, records that parse,
and the shape the benchmark relies on (words, entities, dates, formats)."""
from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import re
import sys
from pathlib import Path

import pytest

from generator.records import parse_record

N = 25


def _load_make_corpus():
    path = Path(__file__).resolve().parent.parent / "bench" / "make_corpus.py"
    spec = importlib.util.spec_from_file_location("bench_make_corpus", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


make_corpus = _load_make_corpus()


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    make_corpus.write_corpus(N, out, seed=7)
    return out


def test_same_seed_same_bytes_other_seed_other_articles(corpus, tmp_path):
    again = tmp_path / "again"
    make_corpus.write_corpus(N, again, seed=7)
    assert _tree(again) == _tree(corpus)
    other = tmp_path / "other"
    make_corpus.write_corpus(N, other, seed=8, formats=("gazette",))
    assert set(_tree(other / "gazette")) != set(_tree(corpus / "gazette"))


def test_article_does_not_depend_on_corpus_size(corpus, tmp_path):
    small = tmp_path / "small"
    make_corpus.write_corpus(5, small, seed=7, formats=("seeds",))
    for name, digest in _tree(small / "seeds").items():
        assert _tree(corpus / "seeds")[name] == digest


def test_records_parse_with_the_shape_the_benchmark_needs(corpus):
    files = sorted((corpus / "gazette" / "content").glob("*.md"))
    assert len(files) == N
    first, last = dt.date(2015, 1, 1), dt.date(2024, 12, 31)
    for path in files:
        record = parse_record(path.read_text(encoding="utf-8"), path)
        assert record.slug == path.stem
        assert record.lang == "fr"
        assert first <= dt.date.fromisoformat(record.date[:10]) <= last
        words = len(re.sub(r"^## ", "", record.body, flags=re.M).split())
        assert 300 <= words <= 600, (path.name, words)
        tags = list(record.entities)
        assert 3 <= len(tags) <= 12, path.name
        text = f"{record.title}\n{record.body}"
        for _, tag in tags:  # every entity is really mentioned, as often as the record says
            assert text.count(tag.name) >= tag.mentions >= 1, (path.name, tag.name)
        for mention in record.mentioned_dates:
            assert mention.text in record.body
    assert (corpus / "gazette" / "site.toml").is_file()


def test_entities_follow_a_skewed_law():
    pool = make_corpus.make_name_pool(7)
    assert sum(len(names) for names in pool.names.values()) >= 3000
    assert all(len(set(names)) == len(names) for names in pool.names.values())
    import random

    rng = random.Random(1)
    draws = [pool.draw(rng, "person") for _ in range(20000)]
    top = draws.count(pool.names["person"][0])
    tenth = draws.count(pool.names["person"][9])
    assert top > 5 * tenth > 0  # rank 1 far more frequent than rank 10


def test_same_articles_in_every_format(corpus):
    records = {p.stem: parse_record(p.read_text(encoding="utf-8"), p)
               for p in (corpus / "gazette" / "content").glob("*.md")}
    hugo = {p.stem: p.read_text(encoding="utf-8") for p in (corpus / "hugo" / "content" / "articles").glob("*.md")}
    pelican = {p.stem: p.read_text(encoding="utf-8") for p in (corpus / "pelican" / "content").glob("*.md")}
    assert set(hugo) == set(pelican) == set(records)
    for slug, record in records.items():
        assert f'title: "{record.title}"' in hugo[slug].replace('\\"', '"')
        assert f"Title: {record.title}\n" in pelican[slug]
        assert record.body.splitlines()[0] in hugo[slug] and record.body.splitlines()[0] in pelican[slug]
        for kind, tag in record.entities:
            section = make_corpus.HUGO_SECTIONS[kind]
            assert re.search(rf'^{section}: \[.*"{re.escape(tag.name)}"', hugo[slug], re.M)
            assert tag.name in pelican[slug].split("\n", 5)[3]  # the Tags: line
    assert (corpus / "hugo" / "hugo.toml").is_file()
    assert (corpus / "hugo" / "themes" / "gazette-bench" / "layouts" / "page.html").is_file()


def test_seeds_hold_the_text_and_boilerplate_the_record_removed(corpus):
    for path in (corpus / "gazette" / "content").glob("*.md"):
        record = parse_record(path.read_text(encoding="utf-8"), path)
        seed = corpus / record.source_path
        raw = seed.read_bytes()
        assert hashlib.sha256(raw).hexdigest() == record.source_sha256
        text = raw.decode("utf-8")
        assert text.splitlines()[0] == record.title
        assert record.removed
        lines = set(text.splitlines())
        assert all(r.text in lines for r in record.removed)
        assert record.body.split("\n\n")[0] in text


def test_command_line(tmp_path, capsys):
    assert make_corpus.main(["3", str(tmp_path), "--formats", "gazette,seeds"]) == 0
    assert len(list((tmp_path / "gazette" / "content").glob("*.md"))) == 3
    assert len(list((tmp_path / "seeds").glob("*.txt"))) == 3
    assert not (tmp_path / "hugo").exists()
    with pytest.raises(SystemExit):
        make_corpus.main(["3", str(tmp_path), "--formats", "jekyll"])
