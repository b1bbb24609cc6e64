"""The `gazette` command: ingest | build | serve | check.

Exit codes: 0 success; 1 the input had problems (all reported); 2 wrong usage.
Each command lives in its own module; this file only parses arguments and
turns problems into messages and an exit code.
"""
from __future__ import annotations

import datetime as dt
import functools
import sys
import traceback
from pathlib import Path

import click

from generator import __version__
from generator.config import load_config
from generator.errors import GazetteError, ProblemsFound, one_line
from generator.report import Reporter


def _common(command):
    """Options every command takes."""
    options = [
        # a --site that does not exist is wrong usage (exit 2), said by click
        click.option("--site", "site", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".",
                     show_default=True, help="The site folder (holding site.toml, content/, seeds/)."),
        click.option("-q", "--quiet", is_flag=True, help="Only errors."),
        click.option("-v", "--verbose", is_flag=True, help="More detail."),
        click.option("--debug", is_flag=True, help="Show tracebacks."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _run(body):
    """Run a command body: GazetteError → message and exit 1; problems → exit 1."""

    @functools.wraps(body)
    def wrapper(site: Path, quiet: bool, verbose: bool, debug: bool, **kwargs):
        reporter = Reporter(quiet=quiet, verbose=verbose, debug=debug)
        try:
            config = load_config(site)
            body(config=config, reporter=reporter, **kwargs)
        except ProblemsFound as exc:
            if debug:
                traceback.print_exc()
            _report_unreported(exc, reporter)
        except GazetteError as exc:
            if debug:
                traceback.print_exc()
            reporter.error(exc.problem)
        except KeyboardInterrupt:
            reporter.info("interrupted")
            sys.exit(130)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise  # click's own: usage errors and exits
        except Exception as exc:  # a bug: one line, the traceback only with --debug
            reporter.bug(None, f"running 'gazette {click.get_current_context().info_name}'",
                         one_line(exc), traceback.format_exc())
        if reporter.errors:
            reporter.print_problem_count()
            sys.exit(1)

    return wrapper


def _report_unreported(exc: ProblemsFound, reporter: Reporter) -> None:
    """Report the errors a stage raised without reporting them (site.toml's);
    the stages that report as they go raise errors already shown."""
    for problem in exc.problems:
        if problem.level == "error" and problem not in reporter.problems:
            reporter.error(problem)
    if not reporter.errors:  # say something rather than fail in silence
        reporter.error(exc.problem)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gazette")
def main():
    """Gazette: raw news articles in, a searchable static archive out."""


def _iso_date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date YYYY-MM-DD") from None


def _scheduler(ctx, param, value):
    from generator.cluster import check_scheduler

    problem = None if value is None else check_scheduler(value)
    if problem is not None:
        raise click.BadParameter(problem)
    return value


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--date", callback=_iso_date, help="Publication date (YYYY-MM-DD) for articles whose source has none.")
@click.option("--force", is_flag=True, help="Overwrite records a person edited by hand.")
@click.option("--follow-links", is_flag=True, help="Read symbolic links that lead out of the seed folders given.")
@click.option("--scheduler", metavar="ADDRESS", callback=_scheduler,
              help="Read, clean and tag on a Dask cluster: its scheduler's address (tcp://HOST:PORT), "
                   "or local:N for N worker processes here. Default: [ingest] scheduler in site.toml, else none.")
@_common
@_run
def ingest(config, reporter, paths, date, force, follow_links, scheduler):
    """Clean raw articles (default: seeds/) into records in content/."""
    import contextlib

    from generator.ingest.run import ingest as run_ingest

    # a program that embeds Gazette (or a test) may hand in its enricher: main(obj={"enricher": ...})
    handed_in = click.get_current_context().obj or {}
    scheduler = scheduler or config.scheduler
    if scheduler:
        from generator.cluster import connect

        cluster = connect(scheduler)
    else:
        cluster = contextlib.nullcontext()
    with cluster as client:
        run_ingest(config, list(paths) or [config.seeds_dir], date=date, force=force, reporter=reporter,
                   enricher=handed_in.get("enricher"), follow_links=follow_links, cluster=client)


def _build_output(ctx, param, value):
    """A folder (a Path), or an fsspec URL such as s3://bucket/prefix (kept as text)."""
    if value is None or "://" in value:
        return value
    if Path(value).is_file():
        raise click.BadParameter(f"'{value}' is a file, not a folder")
    return Path(value)


@main.command()
@click.option("--output", callback=_build_output, metavar="DIR|URL",
              help="Output folder (default: public/), or an fsspec URL to upload the site to (s3://bucket/prefix).")
@click.option("--base-url", help="Absolute URL the site is served from (feeds, sitemap, canonical links).")
@click.option("--strict", is_flag=True, help="Treat warnings as failures.")
@click.option("--scheduler", metavar="ADDRESS", callback=_scheduler,
              help="Render the article pages on a Dask cluster: its scheduler's address (tcp://HOST:PORT), "
                   "or local:N for N worker processes here. Default: [build] scheduler in site.toml, else none.")
@_common
@_run
def build(config, reporter, output, base_url, strict, scheduler):
    """Build the archive from content/ into public/."""
    scheduler = scheduler or config.build_scheduler or None
    if isinstance(output, str):
        from generator.site.upload import build_and_upload

        build_and_upload(config, output, base_url=base_url, strict=strict, scheduler=scheduler, reporter=reporter)
        return
    from generator.site.build import build_site

    build_site(config, output=output, base_url=base_url, strict=strict, scheduler=scheduler, reporter=reporter)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free one).")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
@_common
@_run
def serve(config, reporter, host, port, open_browser):
    """Preview the site; re-ingest, rebuild and reload on every change."""
    from generator.serve.preview import serve as run_serve

    run_serve(config, host=host, port=port, open_browser=open_browser, reporter=reporter)


@main.command()
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), help="Built site to check (default: public/).")
@_common
@_run
def check(config, reporter, output):
    """Validate every record and the built site, without writing."""
    from generator.site.check import check_site

    check_site(config, output=output, reporter=reporter)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document (for tools) instead of the report.")
# the default is review.DEFAULT_LIMIT (not imported here: it loads the NLP stage; a test compares them)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1),
              help="Findings shown in each section (the totals count them all).")
@_common
@_run
def entities(config, reporter, as_json, limit):
    """Review the entity tags of content/: what to look at, and the entities.toml line that fixes it."""
    import json
    import os

    from rich.console import Console

    from generator.enrich.review import review_site
    from generator.enrich.review.show import as_json as review_json, render

    review, problems = review_site(config, limit=limit)
    for problem in problems:  # an unreadable record: named, left out of the review, exit 1
        reporter.error(problem)
    if as_json:
        click.echo(json.dumps(review_json(review), ensure_ascii=False, indent=2))
    else:
        render(review, Console(no_color=bool(os.environ.get("NO_COLOR")), highlight=False, soft_wrap=True))
