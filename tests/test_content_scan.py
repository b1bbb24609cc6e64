"""Scanning content/ trusts a record file's stat (mtime, ctime, size, inode)
when it is the one of the last scan, and reads only the others; a change
that keeps the size and sets the mtime back is still seen (ctime)."""
from __future__ import annotations

import os
import time

import generator.site.library as library
from generator.site.library import scan_content


def _site(tmp_path, n=5):
    content = tmp_path / "content"
    content.mkdir()
    for i in range(n):
        (content / f"r{i}.md").write_text(f"record {i}\n", encoding="utf-8")
    return content


def _settle(content, monkeypatch):
    """Files written long enough ago to be trusted (the scan does not trust a file changed in the last 2 s)."""
    monkeypatch.setattr(library, "_SETTLED_NS", -10**12)


def test_an_unchanged_file_is_not_read_again(tmp_path, monkeypatch):
    content = _site(tmp_path)
    _settle(content, monkeypatch)
    first = scan_content(content, tmp_path, cache_dir=tmp_path / ".gazette")
    reads = []
    real = library.read_record_file
    monkeypatch.setattr(library, "read_record_file", lambda path: reads.append(path.name) or real(path))
    (content / "r2.md").write_text("record 2, edited\n", encoding="utf-8")
    second = scan_content(content, tmp_path, cache_dir=tmp_path / ".gazette")
    assert reads == ["r2.md"]
    assert [f.sha256 for f in second if f.path.name != "r2.md"] == [f.sha256 for f in first if f.path.name != "r2.md"]
    assert second[2].data == b"record 2, edited\n"


def test_a_change_with_the_same_size_and_the_old_mtime_is_seen(tmp_path, monkeypatch):
    content = _site(tmp_path)
    _settle(content, monkeypatch)
    record = content / "r1.md"
    before = record.stat()
    scan_content(content, tmp_path, cache_dir=tmp_path / ".gazette")
    time.sleep(0.01)
    record.write_text("RECORD 1\n", encoding="utf-8")  # same size
    os.utime(record, ns=(before.st_atime_ns, before.st_mtime_ns))  # as touch -r or rsync -t leave it
    again = {f.path.name: f for f in scan_content(content, tmp_path, cache_dir=tmp_path / ".gazette")}
    assert again["r1.md"].data == b"RECORD 1\n"
    assert again["r1.md"].sha256 == __import__("hashlib").sha256(b"RECORD 1\n").hexdigest()


def test_a_file_changed_just_before_a_scan_is_read_again_at_the_next(tmp_path):
    content = _site(tmp_path)
    scan_content(content, tmp_path, cache_dir=tmp_path / ".gazette")  # files written just now: not trusted
    assert library.Entry(tmp_path / ".gazette", "scan", code="generator.site.library").read(default={}) == {}
