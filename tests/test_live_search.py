"""The preview's search index after a save (serve/live_search.py): the
changed article's shard is indexed again in the background, while the
status says the search lags; then the served index holds the new text."""
from __future__ import annotations

import gzip
import json
import threading

from generator.config import load_config
from generator.report import SilentReporter
from generator.serve.live_search import LiveSearch
from generator.serve.live_site import LiveSite

SLUG = "boris-johnson-devient-premier-ministre-du-royaume-uni"


def _fragments_text(search: LiveSearch) -> str:
    """The text of every page fragment the live index holds (Pagefind gzips them)."""
    texts = []
    for path, data in search._files.items():
        if path.endswith(".pf_fragment"):
            raw = gzip.decompress(data)
            texts.append(raw.decode("utf-8", "replace"))
    return "\n".join(texts)


def test_a_saved_article_is_searchable_once_its_shard_is_indexed_again(built_sample_copy):
    site = built_sample_copy
    live = LiveSite(load_config(site), SilentReporter())
    states, done = [], threading.Event()

    def pending(value: bool) -> None:
        states.append(value)
        if not value:
            done.set()

    search = LiveSearch(live, pending, SilentReporter())
    try:
        record = site / "content" / f"{SLUG}.md"
        record.write_text(record.read_text(encoding="utf-8").replace(
            "\n---\n", "\n---\nUn mot introuvable : zygopétalon.\n\n", 1), encoding="utf-8")
        _, articles = live.update([record], SilentReporter())
        assert SLUG in articles
        search.changed(articles)
        assert done.wait(120), "the search index was not updated"
        assert states[0] is True and states[-1] is False  # the search page said it lagged, then stopped
        entry = json.loads(search.read("pagefind/pagefind-entry.json"))
        assert sum(lang["page_count"] for lang in entry["languages"].values()) == len(live.model.library.articles)
        assert "zygopétalon" in _fragments_text(search)

    finally:
        search.stop()
