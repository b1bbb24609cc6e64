"""Article pages rendered by a Dask cluster's workers (`gazette build --scheduler`).

The client — the machine running the build — plans every page as a local
build does: the Library, related articles and every page's context stay
with it. The article pages, the largest family, go to the workers: the
pages of each search shard in chunks of CHUNK_PAGES, one task per chunk,
carrying the pages' planned values (not the Library). A worker renders
them with the same page_bytes, with the theme's templates sent along as
text (compiled once per worker, kept by their digest), and writes them into
the output's staging folder, which it must see at the same path as the
client (a shared folder; the client leaves a token file there for each
task to read). A task returns, per page, its path, size and digest: the
client checks that it sees those bytes, counts them in its Writer, and
hands the shard to the search indexer once all its chunks are back. The
client renders the other pages meanwhile, a few chunks behind the
workers (WINDOW_PER_WORKER), so that the pages in flight stay bounded.

A page whose key did not change since the previous output is kept by the
client (a hard link) and never sent. A task whose worker is lost is run
again once (retries=1, and the scheduler's own allowed failures); then
the build fails and the previous output stays. A site built for an fsspec
URL is made in a local copy (site/upload.py) that remote workers cannot
see: there, a worker that cannot see the staging folder sends the bytes
back and the client writes them.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import secrets
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Mapping, Protocol

import jinja2

from generator import cache
from generator.errors import BuildError, GazetteError
from generator.report import Reporter
from generator.site.output import Writer, is_mirror, put_file
from generator.site.page_values import OutputPage, Site
from generator.site.render import Theme, make_environment, page_bytes

if TYPE_CHECKING:
    from distributed import Client, Future

# article pages per task: enough that a task's overhead (some milliseconds)
# is small, few enough that a task stays a few MB and a lost one costs little
CHUNK_PAGES = 200
# chunks in flight per worker thread: enough to keep each busy while the
# client collects, few enough that the pages waiting on the scheduler stay bounded
WINDOW_PER_WORKER = 2
# seconds a failed build waits for the chunks still running, so that none
# writes into a staging folder that is being removed
DRAIN_SECONDS = 30
TOKEN_PREFIX = ".gazette-cluster-"
# the libraries whose versions decide a rendered page's bytes
_LIBRARIES = ("jinja2", "markupsafe", "markdown-it-py")

# one (site path, size, BLAKE2b digest, unchanged, bytes or None) per page of a chunk
Rendered = tuple[str, int, str, bool, "bytes | None"]


@dataclass(frozen=True)
class ThemeTemplates:
    """A theme's templates as text, for workers that may not have its folders.
    `files`: template name → (source, the file it was read from); the file is
    named in template errors as a local build names it."""
    digest: str
    theme: Theme
    files: Mapping[str, tuple[str, str]]


@dataclass(frozen=True)
class RenderJob:
    """What every task of one build needs besides its pages."""
    stage: str  # the staging folder, as the client sees it
    previous: str | None  # the output being replaced (unchanged files are hard-linked from it)
    token: str  # the name of the file the client left in the stage
    send_back: bool  # a worker that cannot see the stage sends the bytes back (a site for a URL)
    language: str
    site: Site
    code: str  # code_version(): a worker running other code would render other bytes


def theme_templates(theme: Theme) -> ThemeTemplates:
    """Every template of the theme, the site's own copy winning, as FileSystemLoader finds them."""
    files: dict[str, tuple[str, str]] = {}
    for folder in reversed(theme.template_dirs):  # shipped first: the site's copy overrides
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                try:
                    files[path.relative_to(folder).as_posix()] = (path.read_text(encoding="utf-8"), str(path))
                except UnicodeDecodeError:  # not a template; asking for it fails the build on the worker
                    continue
    digest = hashlib.sha256(repr(sorted(files.items())).encode("utf-8")).hexdigest()
    return ThemeTemplates(digest, theme, files)


def code_version() -> str:
    """This module's code and everything it imports, and the libraries that render."""
    return cache.code_version(__name__, extra=cache.library_versions(*_LIBRARIES))


# ---------------------------------------------------------------- on a worker

class _TemplatesLoader(jinja2.BaseLoader):
    def __init__(self, files: Mapping[str, tuple[str, str]]):
        self.files = files

    def get_source(self, environment, template):
        found = self.files.get("/".join(jinja2.loaders.split_template_path(template)))
        if found is None:
            raise jinja2.TemplateNotFound(template)
        return found[0], found[1], lambda: True


# the environment of each theme a worker has rendered with, by the digest of its templates
_ENVIRONMENTS: dict[str, jinja2.Environment] = {}


def render_chunk(job: RenderJob, templates: ThemeTemplates, pages: list[tuple[str, OutputPage]]) -> list[Rendered]:
    """Render one chunk of article pages (site path, page) on a worker and put
    them into the stage — or, for a site for a URL whose stage this worker
    cannot see, send their bytes back."""
    if _worker_code() != job.code:
        raise BuildError(f"the Dask worker {_worker_name()} runs another version of Gazette or of its libraries "
                         "than this machine: its pages would differ — install the same version on every worker "
                         "(pip install -c requirements.lock .)")
    sees = _sees_stage(job.stage, job.token)
    if not sees and not job.send_back:
        raise BuildError(f"workers cannot see the output folder {Path(job.stage).parent} (the Dask worker "
                         f"{_worker_name()} does not find this build's files there); give a folder every "
                         "worker mounts at the same path, or an fsspec URL")
    env = _ENVIRONMENTS.get(templates.digest)
    if env is None:
        env = _ENVIRONMENTS[templates.digest] = make_environment(templates.theme, _TemplatesLoader(templates.files))
    previous = Path(job.previous) if job.previous else None
    done: list[Rendered] = []
    for path, page in pages:
        data = page_bytes(page, env, templates.theme, job.language, job.site)
        digest = _digest(data)
        if sees:
            target = Path(job.stage) / path
            try:
                # the client made the folder, but a shared filesystem may show it here later;
                # never the stage itself, whose token was just read
                target.parent.mkdir(parents=True, exist_ok=True)
                unchanged = put_file(target, previous / path if previous else None, data)
            except OSError as exc:  # said here: an OSError reaching the client would read as a lost connection
                raise BuildError(f"the Dask worker {_worker_name()} cannot write into the output folder: "
                                 f"{exc.strerror or exc}", target) from None
            done.append((path, len(data), digest, unchanged, None))
        else:
            done.append((path, len(data), digest, False, data))
    return done


def _sees_stage(stage: str, token: str) -> bool:
    try:
        return (Path(stage) / token).read_text(encoding="ascii") == token
    except (OSError, UnicodeDecodeError):
        return False


@functools.cache
def _worker_code() -> str:
    return code_version()


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except ValueError:  # not in a worker (a test calling render_chunk)
        return "(here)"


# ---------------------------------------------------------------- on the client

class PageRenderer(Protocol):
    """What the build's page renderer offers (page_writer.PageRenderer)."""
    writer: Writer
    theme: Theme
    site: Site

    def keep(self, page: OutputPage) -> tuple[str, bool]:
        """The page's site path, and whether its previous file was kept (then it needs no rendering)."""

    def write(self, page: OutputPage) -> str:
        """Render and write the page here (or keep it); its site path."""


@dataclass
class _Shard:
    paths: list[str] = field(default_factory=list)  # site paths of its pages, in order
    chunks: list["Future"] = field(default_factory=list)
    planned: bool = False  # every page of it is in `paths`


class ClusterArticles:
    """Renders the article pages of a build on a Dask cluster (see the module's doc)."""

    def __init__(self, client: "Client", renderer: PageRenderer, language: str, send_back: bool,
                 reporter: Reporter):
        self.client = client
        self.renderer = renderer
        self.writer = renderer.writer
        self.reporter = reporter
        self.token = f"{TOKEN_PREFIX}{secrets.token_hex(8)}"
        self.job = RenderJob(str(self.writer.stage), str(self.writer.previous) if self.writer.previous else None,
                             self.token, send_back, language, renderer.site, code_version())
        self.threads = max(1, sum(client.nthreads().values()))
        # sent with every task (some 40 KB): data scattered once would be lost with the workers holding it
        self._templates = theme_templates(renderer.theme)
        self._in_flight: set["Future"] = set()
        self._chunks = 0

    @classmethod
    @contextlib.contextmanager
    def on(cls, scheduler: str, renderer: PageRenderer, config, reporter: Reporter) -> Iterator["ClusterArticles"]:
        """Connected to the cluster `scheduler` names (generator.cluster.connect), for one build into
        `renderer`'s Writer; its token file is in the stage until the block ends."""
        from generator.cluster import connect

        with connect(scheduler) as client:
            articles = cls(client, renderer, config.language, is_mirror(config, renderer.writer.stage), reporter)
            token = renderer.writer.stage / articles.token
            token.write_text(articles.token, encoding="ascii")
            try:
                yield articles
            except BaseException:
                articles._drain()
                raise
            finally:
                token.unlink(missing_ok=True)

    def render(self, article_pages: Iterator[OutputPage], shard_sizes: list[int], other_pages: Iterator[OutputPage],
               index: Callable[[list[tuple[str, Path]]], None]) -> None:
        """Render the article pages (in shard order, `shard_sizes` of them per
        shard) on the workers and the other pages here, handing each shard's
        staged pages to `index` in order as soon as all of it is back."""
        chunks = self._chunks_of(article_pages, shard_sizes)
        shards: deque[_Shard] = deque()
        window = WINDOW_PER_WORKER * self.threads
        more = True
        while True:
            while more and len(self._running()) < window:
                more = self._submit_next(chunks, shards)
            while shards and shards[0].planned and all(future.done() for future in shards[0].chunks):
                shard = shards.popleft()
                for future in shard.chunks:
                    self._collect(future)
                index([(path, self.writer.stage / path) for path in shard.paths])
            if not more and not shards:
                break
            other = next(other_pages, None)
            if other is not None:
                self.renderer.write(other)  # the client's own share while the workers render
            elif self._in_flight:
                self._wait_first()
        for other in other_pages:
            self.renderer.write(other)
        self.reporter.debug(f"article pages: {self._chunks} chunk(s) rendered on {self.threads} worker thread(s)")

    def _chunks_of(self, article_pages: Iterator[OutputPage], shard_sizes: list[int]
                   ) -> Iterator[tuple[bool, bool, list[OutputPage]]]:
        """(first chunk of a shard, last chunk of it, its pages) in order."""
        for size in shard_sizes:
            starts = range(0, size, CHUNK_PAGES)
            for number, start in enumerate(starts):
                pages = [next(article_pages) for _ in range(min(CHUNK_PAGES, size - start))]
                yield number == 0, number == len(starts) - 1, pages

    def _submit_next(self, chunks: Iterator[tuple[bool, bool, list[OutputPage]]], shards: deque[_Shard]) -> bool:
        """Plan and send the next chunk (its kept pages are linked here, never
        sent); False when there is none left."""
        step = next(chunks, None)
        if step is None:
            return False
        first, last, pages = step
        if first:
            shards.append(_Shard())
        shard = shards[-1]
        send: list[tuple[str, OutputPage]] = []
        for page in pages:
            path, kept = self.renderer.keep(page)
            shard.paths.append(path)
            if not kept:
                send.append((self.writer.reserve(path, page.source), page))
        if send:
            self._chunks += 1
            future = self.client.submit(render_chunk, self.job, self._templates, send, retries=1, pure=False,
                                        key=f"gazette-render-{self._chunks}-{self.token[-16:]}")
            shard.chunks.append(future)
            self._in_flight.add(future)
        shard.planned = last
        return True

    def _collect(self, future: "Future") -> None:
        """Count a chunk's pages in the Writer, once their staged bytes are the ones the worker wrote."""
        self._in_flight.discard(future)
        for path, size, digest, unchanged, data in self._result(future):
            if data is not None:
                self.writer.fill(path, data)
                continue
            staged = self.writer.stage / path
            try:
                seen = staged.read_bytes()
            except OSError:
                seen = None
            if seen is None or len(seen) != size or _digest(seen) != digest:
                raise BuildError(f"a Dask worker wrote this page into the shared output folder, but this machine "
                                 f"{'does not see it' if seen is None else 'sees other bytes'} — the folder must "
                                 "be one every worker mounts at the same path, without a stale cache", staged)
            self.writer.staged(path, unchanged)

    def _result(self, future: "Future") -> list[Rendered]:
        from distributed import KilledWorker
        from distributed.client import FutureCancelledError

        try:
            return future.result()
        except GazetteError:
            raise
        except (KilledWorker, FutureCancelledError):
            raise BuildError("the Dask cluster lost the workers rendering a chunk of article pages more times "
                             "than it retries; the build stopped and the output was left as it was — "
                             "check the workers' logs (memory, a machine gone) and build again") from None
        except (OSError, TimeoutError) as exc:  # the scheduler gone: CommClosedError is an OSError
            raise BuildError(f"lost the Dask scheduler while rendering article pages ({exc}); the build "
                             "stopped and the output was left as it was") from None

    def _running(self) -> list["Future"]:
        """The chunks sent and not finished (a finished one may wait for its shard's turn)."""
        return [future for future in self._in_flight if not future.done()]

    def _wait_first(self) -> None:
        from distributed import wait

        with contextlib.suppress(Exception):  # a chunk that failed says why when it is collected
            wait(self._running(), return_when="FIRST_COMPLETED")

    def _drain(self) -> None:
        """After a failure: wait (a bounded time) for the chunks sent, so that
        none writes into the stage once it is being removed. (Cancelling
        would not stop a task that runs: it would only stop our waiting.)"""
        from distributed import wait

        with contextlib.suppress(Exception):
            wait(self._running(), timeout=DRAIN_SECONDS)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()

