"""A site built for an fsspec URL: `gazette build --output s3://bucket/prefix`.

The site is built as any other — into a local copy in the cache folder
(.gazette/mirrors/<digest of the URL>/site), staged and swapped in, so that a
failed build changes nothing — and then uploaded with fsspec: only the
files whose bytes differ from what the URL holds, as its manifest
(.gazette-manifest.json: site path → SHA-256 of the bytes uploaded) says.

The order is what a reader of the bucket sees mid-upload: object stores
replace one object at a time and have no rename, so there is no instant
swap. First the manifest is rewritten without the files about to change
(an upload cut short is finished by the next one, which sends them again);
then the article pages; then every other file but the entry points; then
the Pagefind entry files (pagefind-entry.json: each names its index files
by digest, which are up by then); then the files at the root of the site
and the search page (home, feeds, sitemap); then the full manifest; and only
then are the files the site no longer has deleted. So a reader meets, for
the minutes an upload takes, old listings beside new article pages, but
never a link from an uploaded page to a page not uploaded yet, and never a
page removed while a page still uploaded links to it.

A URL's folder must be empty or hold Gazette's manifest: any other file
under it would be replaced or deleted.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from generator.config import SiteConfig
from generator.errors import BuildError, one_line
from generator.report import Reporter
from generator.site.output import MARKER, MIRRORS, build_lock

MANIFEST = ".gazette-manifest.json"
_ENTRY_FILE = "pagefind-entry.json"
_LAST_FOLDERS = ("search",)  # pages sent with the root's files: the search page names the index's shards


@dataclass(frozen=True)
class UploadReport:
    url: str
    uploaded: int  # files sent (new or changed)
    deleted: int  # files the site no longer has, removed from the URL
    unchanged: int  # files the URL already held with these bytes


def is_url(output: str) -> bool:
    """Whether an --output is an fsspec URL rather than a folder."""
    return "://" in output


def mirror_of(config: SiteConfig, url: str) -> Path:
    """The local copy a site for `url` is built into (output.py lets a build write there)."""
    name = hashlib.sha256(url.rstrip("/").encode("utf-8")).hexdigest()[:16]
    return config.cache_dir / MIRRORS / name / "site"


class Target:
    """The folder an fsspec URL names, checked to be Gazette's (or empty)."""

    def __init__(self, url: str):
        import fsspec
        from fsspec.utils import get_protocol

        self.url = url.rstrip("/")
        # a folder of this machine has folders to make and to remove; an object store has keys only
        self.has_folders = get_protocol(url) in ("file", "local")
        options = {"auto_mkdir": True} if self.has_folders else {}
        try:
            self.fs, self.root = fsspec.core.url_to_fs(self.url, **options)
        except ImportError as exc:  # "Install s3fs to access S3"
            raise BuildError(f"cannot write to {url}: {one_line(exc)}") from None
        except ValueError as exc:  # "Protocol not known: …"
            raise BuildError(f"'{url}' is not a URL fsspec can write to ({one_line(exc)})") from None
        self.root = self.root.rstrip("/")

    def path(self, site_path: str) -> str:
        return f"{self.root}/{site_path}"

    def listing(self) -> set[str]:
        """The site path of every file under the URL."""
        with self._failing("list"):
            if not self.fs.exists(self.root):
                return set()
            prefix = self.root + "/"
            return {name[len(prefix):] for name in self.fs.find(self.root) if name.startswith(prefix)}

    def manifest(self, listing: set[str]) -> dict[str, str]:
        """The manifest of the site there ({} when it is empty); BuildError when the folder is not Gazette's."""
        if not listing:
            return {}
        if MANIFEST not in listing:
            raise BuildError(f"refusing to upload into {self.url}: it holds files Gazette did not put there "
                             f"(no {MANIFEST}); empty it or choose another URL")
        with self._failing("read the manifest of"):
            data = self.fs.cat_file(self.path(MANIFEST))
        try:
            manifest = json.loads(data)
        except ValueError:
            manifest = None
        if not isinstance(manifest, dict) or not all(isinstance(v, str) for v in manifest.values()):
            raise BuildError(f"{MANIFEST} of {self.url} is not a manifest Gazette wrote; remove it to upload "
                             "every file again")
        return manifest

    def write_manifest(self, manifest: dict[str, str]) -> None:
        data = json.dumps(manifest, sort_keys=True, indent=0).encode("utf-8")
        with self._failing("write the manifest of"):
            self.fs.pipe_file(self.path(MANIFEST), data)

    def put(self, folder: Path, site_paths: list[str]) -> None:
        if site_paths:
            with self._failing("upload to"):
                self.fs.put([str(folder / p) for p in site_paths], [self.path(p) for p in site_paths])

    def delete(self, site_paths: list[str]) -> None:
        if not site_paths:
            return
        with self._failing("delete old files from"):
            self.fs.rm([self.path(p) for p in site_paths])
            if self.has_folders:  # the folders they leave empty, deepest first
                folders = {p.rsplit("/", 1)[0] for p in site_paths if "/" in p}
                for folder in sorted({f.rsplit("/", n)[0] for f in folders for n in range(f.count("/") + 1)},
                                     key=lambda f: -f.count("/")):
                    if self.fs.isdir(self.path(folder)) and not self.fs.ls(self.path(folder)):
                        self.fs.rmdir(self.path(folder))

    def _failing(self, doing: str):
        return _UploadFailure(doing, self.url)


class _UploadFailure:
    """A storage error, said as one line; the next build finishes the upload."""

    def __init__(self, doing: str, url: str):
        self.doing, self.url = doing, url

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if exc is None or not isinstance(exc, (OSError, ValueError, TimeoutError)):
            return False
        raise BuildError(f"could not {self.doing} {self.url}: {one_line(exc)} — the site is built locally; "
                         "build again to finish the upload (files already sent are not sent again)") from None


def check_target(url: str) -> Target:
    """The URL's folder, refused before anything is built when it is not Gazette's."""
    target = Target(url)
    target.manifest(target.listing())
    return target


def upload(folder: Path, target: Target, reporter: Reporter) -> UploadReport:
    """Make the URL hold exactly the files of `folder` (a built site), in the order the module's doc says."""
    local = local_digests(folder)
    listing = target.listing()
    before = target.manifest(listing)
    changed = sorted(p for p, digest in local.items() if before.get(p) != digest or p not in listing)
    if changed:  # an upload cut short leaves these unknown: the next one sends them again
        target.write_manifest({p: d for p, d in before.items() if p in local and p not in changed})
    for group in _in_upload_order(changed):
        target.put(folder, group)
    target.write_manifest(local)
    stale = sorted(listing - set(local) - {MANIFEST})
    target.delete(stale)
    report = UploadReport(target.url, len(changed), len(stale), len(local) - len(changed))
    reporter.result(f"uploaded to {target.url}: {report.uploaded} file(s) sent, {report.deleted} deleted, "
                    f"{report.unchanged} unchanged")
    return report


def _in_upload_order(paths: list[str]) -> list[list[str]]:
    """Article pages; everything else but the entry points; Pagefind's entry files; the root's files."""
    groups: list[list[str]] = [[], [], [], []]
    for path in paths:
        top = path.split("/", 1)[0]
        if "/" not in path or top in _LAST_FOLDERS:
            groups[3].append(path)
        elif path.rsplit("/", 1)[-1] == _ENTRY_FILE:
            groups[2].append(path)
        elif top == "articles":
            groups[0].append(path)
        else:
            groups[1].append(path)
    return groups


# ---------------------------------------------------------------- local digests

def local_digests(folder: Path) -> dict[str, str]:
    """Site path → SHA-256 of every file of the built site but its marker.
    Memoised by size and mtime beside the folder: a build hard-links the
    files it did not change, which keep both, so only new bytes are read."""
    memo_path = folder.parent / "digests.json"
    try:
        memo = json.loads(memo_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        memo = {}
    fresh: dict[str, list] = {}
    for path in _files(folder):
        site_path = path.relative_to(folder).as_posix()
        info = path.stat()
        known = memo.get(site_path)
        if isinstance(known, list) and known[:2] == [info.st_size, info.st_mtime_ns]:
            fresh[site_path] = known
        else:
            fresh[site_path] = [info.st_size, info.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest()]
    temporary = memo_path.with_name(memo_path.name + ".tmp")
    temporary.write_text(json.dumps(fresh), encoding="utf-8")
    os.replace(temporary, memo_path)
    return {site_path: entry[2] for site_path, entry in fresh.items()}


def _files(folder: Path) -> Iterable[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink() and path.relative_to(folder).as_posix() != MARKER:
            yield path


def build_and_upload(config: SiteConfig, url: str, *, base_url: str | None = None, strict: bool = False,
                     scheduler: str | None = None, reporter: Reporter) -> UploadReport:
    """`gazette build --output URL`: build the site into its local copy, then upload it.
    Held under a lock of the URL's own, so that two uploads to it never interleave."""
    from generator.site.build import build_site  # build imports Pagefind: loaded only when a site is built

    mirror = mirror_of(config, url)
    with build_lock(mirror.parent):
        target = check_target(url)  # before anything is built
        build_site(config, output=mirror, base_url=base_url, strict=strict, scheduler=scheduler, reporter=reporter)
        return upload(mirror, target, reporter)
