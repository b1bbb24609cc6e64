"""The one cache store: versioned by the code it depends on, atomic, and
forgiving of corrupt or old entries."""
import pickle

from generator.cache import Entry, Shelf, code_version


def test_entry_round_trip_and_default(tmp_path):
    entry = Entry(tmp_path, "records", code="generator.records")
    assert entry.read(default={}) == {}
    entry.write({"a": 1})
    assert Entry(tmp_path, "records", code="generator.records").read() == {"a": 1}
    assert not list(tmp_path.glob("*.tmp")), "no temporary file is left behind"


def test_entry_written_by_other_code_or_extra_reads_as_missing(tmp_path):
    Entry(tmp_path, "memo", code="generator.records").write("old")
    assert Entry(tmp_path, "memo", code="generator.site.build").read() is None
    assert Entry(tmp_path, "memo", code="generator.records", extra="pagefind 2").read() is None


def test_corrupt_entry_reads_as_missing_and_is_rewritten(tmp_path):
    entry = Entry(tmp_path, "records", code="generator.records")
    entry.path.write_bytes(b"\x80\x05 not a pickle")
    assert entry.read(default="recompute") == "recompute"
    entry.write("fresh")
    assert entry.read() == "fresh"
    entry.path.write_bytes(pickle.dumps("no version"))
    assert entry.read() is None


def test_version_follows_imports_without_a_hand_kept_list():
    # records.py imports model.py: the version of records covers model's source
    from generator.cache import _closure
    assert "generator.model" in _closure("generator.records")
    assert "generator.site.views" in _closure("generator.site.build")
    # a module that imports nothing of the build does not change with it
    assert "generator.site.build" not in _closure("generator.records")
    # nor does a package's __init__ count for its submodules: a change to the
    # Enricher does not invalidate what depends on the date finder alone
    assert "generator.enrich" not in _closure("generator.enrich.dates.find")
    assert code_version("generator.records") != code_version("generator.site.build")
    assert code_version("generator.records") == code_version("generator.records")


def test_shelf_keys_values_and_pruning(tmp_path):
    shelf = Shelf(tmp_path, "search", code="generator.site.search", extra="1.0")
    assert shelf.is_empty() and shelf.get("ab12") is None
    shelf.put("ab12", [("x", b"1")])
    shelf.put("cd34", [("y", b"2")])
    assert not shelf.is_empty() and shelf.get("ab12") == [("x", b"1")]
    shelf.keep_only({"cd34"})
    assert shelf.get("ab12") is None and shelf.get("cd34") == [("y", b"2")]
    assert Shelf(tmp_path, "search", code="generator.site.search", extra="1.1").get("cd34") is None


def test_shelf_refuses_keys_that_are_not_digests(tmp_path):
    import pytest
    with pytest.raises(ValueError):
        Shelf(tmp_path, "s", code="generator.records").put("../../etc", 1)
