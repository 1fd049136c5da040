"""framegap: crawl, label and compare how media systems frame China's finance pay caps.

A thin front door: each command parses its options, imports its stage lazily, calls one
function and prints a short summary. `framegap --help` imports neither Scrapy nor torch.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

DEFAULT_DB = "data/framegap.db"
DB_OPTION = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=lambda: os.environ.get("FRAMEGAP_DB", DEFAULT_DB),
    show_default=DEFAULT_DB,
    help="SQLite database (env FRAMEGAP_DB).",
)


@click.group()
@click.version_option("0.1.0", prog_name="framegap")
def cli() -> None:
    """Crawl, label and compare coverage of China's finance-industry pay caps."""


@cli.command()
@DB_OPTION
@click.option(
    "--sample",
    is_flag=True,
    help="Crawl the bundled sample sites (started on 127.0.0.1 for the crawl).",
)
@click.option(
    "--sample-server",
    "sample_server_url",
    default="",
    metavar="URL",
    help="Route *.test hosts to this running sample server instead of starting one.",
)
@click.option(
    "--registry",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Outlet registry file [default: crawler/outlets.toml].",
)
@click.option("--outlet", "outlets", multiple=True, help="Outlet slug; repeat for more [all].")
@click.option(
    "--spider",
    default="outlets",
    show_default=True,
    help="outlets (all sources), sitemap, feed, listing, urls or gdelt.",
)
@click.option(
    "--since", default="", help="Only follow items the source dates on/after (YYYY-MM-DD)."
)
@click.option("--until", default="", help="Only follow items the source dates on/before.")
@click.option("--url", "urls", multiple=True, help="An article URL to fetch (spider urls).")
@click.option(
    "--jobdir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep the crawl's state here so an interrupted crawl resumes.",
)
@click.option(
    "-s",
    "--set",
    "overrides",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a Scrapy or framegap setting.",
)
@click.option("-v", "--verbose", is_flag=True, help="Log Scrapy's progress (INFO).")
def crawl(
    db_path: Path,
    sample: bool,
    sample_server_url: str,
    registry: Path | None,
    outlets: tuple[str, ...],
    spider: str,
    since: str,
    until: str,
    urls: tuple[str, ...],
    jobdir: Path | None,
    overrides: tuple[str, ...],
    verbose: bool,
) -> None:
    """Crawl outlets into the database and print a summary per outlet."""
    from scrapy.exceptions import UsageError

    from crawler.errors import CrawlerError
    from crawler.run import CrawlOptions, run_crawl
    from db import DatabaseError, open_db
    from db.queries import crawl_run, run_summary

    options = CrawlOptions(
        db=db_path,
        sample=sample,
        sample_server=sample_server_url,
        registry=registry,
        outlets=list(outlets),
        spider=spider,
        since=since,
        until=until,
        urls=list(urls),
        jobdir=jobdir,
        log_level="INFO" if verbose else "WARNING",
        settings=_settings(overrides),
    )
    try:
        open_db(db_path).close()
        run_id = run_crawl(options)
        db = open_db(db_path)
    except (CrawlerError, DatabaseError, UsageError) as exc:
        raise click.ClickException(str(exc)) from None
    if not run_id:
        raise click.ClickException("the crawl did not start; run with -v to see why")
    run = crawl_run(db, run_id) or {}
    _print_summary(run_summary(db, run_id))
    click.echo(f"crawl run {run_id}: {run.get('status')}; database {db_path}")


def _settings(overrides: tuple[str, ...]) -> dict[str, Any]:
    settings = {}
    for pair in overrides:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{pair!r} is not NAME=VALUE", param_hint="--set")
        settings[name.strip()] = value
    return settings


def _print_summary(rows: list[dict[str, Any]]) -> None:
    headers = [
        "outlet",
        "pages",
        "stored",
        "relevant_looking",
        "duplicates",
        "non_articles",
        "errors",
    ]
    total = {h: sum(r[h] for r in rows) for h in headers[1:]}
    table = [*rows, {"outlet": "TOTAL", **total}]
    widths = {h: max(len(h), *(len(str(r[h])) for r in table)) for h in headers}
    click.echo(
        "  ".join(h.ljust(widths[h]) if h == "outlet" else h.rjust(widths[h]) for h in headers)
    )
    for row in table:
        click.echo(
            "  ".join(
                str(row[h]).ljust(widths[h]) if h == "outlet" else str(row[h]).rjust(widths[h])
                for h in headers
            )
        )


@cli.command("sample-server")
@click.option("--port", default=8765, show_default=True, help="Port on 127.0.0.1.")
def sample_server(port: int) -> None:
    """Serve the bundled sample sites on 127.0.0.1 (crawl them with --sample-server URL)."""
    from crawler.sample.server import SampleServer

    server = SampleServer(port)
    click.echo(f"sample sites on {server.proxy} (proxy for *.test hosts); Ctrl-C stops")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    cli()
