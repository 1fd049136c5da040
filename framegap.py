"""framegap: crawl, label and compare how media systems frame China's finance pay caps.

A thin front door: each command parses its options, imports its stage lazily, calls one
function and prints a short summary. `framegap --help` imports neither Scrapy nor torch.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
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
@click.option(
    "--redis",
    "redis_url",
    default="",
    metavar="redis://HOST:PORT/DB",
    help="Be a worker of a distributed crawl: share the queue in Redis, hand items to "
    "`framegap ingest` (which owns the database).",
)
@click.option("--redis-name", default="crawl", show_default=True, help="The distributed crawl.")
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
    redis_url: str,
    redis_name: str,
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
        redis=redis_url,
        redis_name=redis_name,
    )
    if redis_url:
        try:
            handed = run_crawl(options)
        except (CrawlerError, UsageError, TimeoutError) as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"worker done: {handed} items handed to the writer via {redis_url}")
        return
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
    for flag in run.get("stats", {}).get("framegap/flags", []):
        click.echo(f"monitor flag: {flag}")
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


MODEL_OPTION = click.option(
    "--model",
    "model_name",
    default=None,
    help="Model folder, version under models/, or fast (the one in models/FAST) "
    "[default: the one in models/DEFAULT].",
)


@cli.command()
@click.option("--seed", default=13, show_default=True, help="Random seed.")
@click.option(
    "--encoder",
    "encoders",
    multiple=True,
    help="Candidate encoder: minilm, e5 or a local model folder, with options after colons "
    "(minilm:2:int8 keeps 2 layers in 8 bits, minilm:top3 pools the top 3 layers) and + to "
    "join two (minilm:top3+e5); repeat [minilm, e5, minilm+e5, minilm:top3, minilm:top3+e5].",
)
@click.option("--limit", default=0, help="Train on at most N training passages (0: all).")
@click.option("--no-default", is_flag=True, help="Do not make the new model the default.")
@click.option(
    "--fast",
    is_flag=True,
    help="Make the new model the fast one (models/FAST, --model fast), not the default.",
)
def train(seed: int, encoders: tuple[str, ...], limit: int, no_default: bool, fast: bool) -> None:
    """Train a model from classifier/data; encoders and thresholds are chosen on dev."""
    from classifier.config import TrainingArgs
    from classifier.errors import ClassifierError
    from classifier.registry import mark
    from classifier.train import train as run_training

    args = TrainingArgs(seed=seed, limit=limit)
    if encoders:
        args.encoders = tuple(encoders)
    try:
        model, folder = run_training(args)
    except ClassifierError as exc:
        raise click.ClickException(str(exc)) from None
    if fast:
        mark(folder, "fast")
    elif not no_default:
        mark(folder)
    dev = model.record["dev"]
    click.echo(f"model {model.version} in {folder}; route {model.route}; dev {dev}")


@cli.command()
@MODEL_OPTION
@click.option(
    "--split",
    default="test",
    show_default=True,
    type=click.Choice(["train", "dev", "test"]),
    help="Which split to score.",
)
@click.option(
    "--json",
    "json_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write every figure here.",
)
def evaluate(model_name: str | None, split: str, json_out: Path | None) -> None:
    """Score a model per language against the labels, beside the keyword baseline."""
    import json

    from classifier import registry
    from classifier.config import DATA_DIR, EVAL_FLOORS
    from classifier.data import load_examples
    from classifier.errors import ClassifierError
    from classifier.evaluate import check_floors, render_table
    from classifier.evaluate import evaluate as run

    try:
        model = registry.load(model_name)
        examples = [e for e in load_examples(DATA_DIR) if e.split == split]
        report = run(model, examples)
        failures = check_floors(report, EVAL_FLOORS) if split == "test" else []
    except ClassifierError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(render_table(report))
    if json_out:
        json_out.write_text(json.dumps(report, indent=2, sort_keys=True))
    if failures:
        raise click.ClickException(
            "below the floors in classifier/eval_baseline.json: " + "; ".join(failures)
        )


@cli.command()
@DB_OPTION
@MODEL_OPTION
@click.option("--batch-size", default=32, show_default=True, help="Articles per batch.")
def classify(db_path: Path, model_name: str | None, batch_size: int) -> None:
    """Label the articles in the database that the model has not labelled (resumable)."""
    from classifier import registry
    from classifier.batch import classify_pending
    from classifier.errors import ClassifierError
    from db import DatabaseError, open_db
    from db.queries import count_pending, prediction_summary

    try:
        model = registry.load(model_name)
        db = open_db(db_path)
        total = count_pending(db, model.version)
        with click.progressbar(
            length=total,
            label=f"classifying with {model.version}",
            file=sys.stderr,
        ) as bar:
            done = classify_pending(
                db, model, batch_size, progress=lambda n, _t: bar.update(n - bar.pos)
            )
    except (ClassifierError, DatabaseError) as exc:
        raise click.ClickException(str(exc)) from None
    summary = prediction_summary(db, model.version)
    click.echo(
        f"labelled {done} articles with {model.version}; in all {summary['articles']}, "
        f"relevant {summary['relevant']}, tones {summary['tones']}, "
        f"frames {summary['frames']}"
    )


@cli.command("classify-file")
@click.argument("source", type=click.File("r", encoding="utf-8"))
@click.option(
    "--out",
    "out",
    type=click.File("w", encoding="utf-8"),
    default="-",
    show_default=True,
    help="Output JSONL ('-' for stdout).",
)
@MODEL_OPTION
def classify_file(source: Any, out: Any, model_name: str | None) -> None:
    """Label a JSONL file of {id, text, title?, language?} lines ('-' for stdin)."""
    from classifier import registry
    from classifier.batch import classify_file as run
    from classifier.errors import ClassifierError

    try:
        stats = run(registry.load(model_name), source, out, sys.stderr)
    except ClassifierError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"labelled {stats.labelled} lines; {stats.bad_lines} bad lines skipped", err=True)


@cli.command()
@DB_OPTION
@click.option("--since", default="", help="First publication date (YYYY-MM-DD).")
@click.option("--until", default="", help="Last publication date (YYYY-MM-DD).")
@click.option(
    "--group",
    "groups",
    multiple=True,
    help="Only these outlet groups (western, chinese, hongkong); repeat for several.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("data/report"),
    show_default=True,
    help="Folder for the report.",
)
def report(db_path: Path, since: str, until: str, groups: tuple[str, ...], out_dir: Path) -> None:
    """Write report.html, report.md and report.json: the claims scorecard with intervals,
    frames and tone by group, word choice, the timeline, evidence and method."""
    from db import DatabaseError, open_db
    from reports.build import ReportError, build
    from reports.render import to_html, to_json, to_markdown

    try:
        numbers = build(open_db(db_path, read_only=True), since, until, groups=groups)
    except (ReportError, DatabaseError) as exc:
        raise click.ClickException(str(exc)) from None
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.json").write_text(to_json(numbers), encoding="utf-8")
    (out_dir / "report.md").write_text(to_markdown(numbers), encoding="utf-8")
    (out_dir / "report.html").write_text(to_html(numbers), encoding="utf-8")
    if not numbers["relevant_articles"]:
        click.echo(
            "no relevant articles in this window and these groups: figures are empty", err=True
        )
    click.echo(
        f"report of {numbers['relevant_articles']} relevant articles: "
        f"{(out_dir / 'report.html').resolve()} (also report.md, report.json)"
    )


FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "jsonl"]),
    default="table",
    show_default=True,
    help="Output format.",
)


@contextmanager
def _read_only(db_path: Path, timeout: float = 30.0) -> Iterator[Any]:
    """A read-only connection for one command; its QueryErrors become one-line errors."""
    from query.readonly import QueryError, ReadOnly

    try:
        ro = ReadOnly(db_path, timeout)
    except QueryError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        yield ro
    except QueryError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        ro.close()


def _emit(columns: list[str], rows: list[tuple[Any, ...]], fmt: str) -> None:
    from query.output import write

    write(columns, rows, fmt, sys.stdout)


@cli.command()
@click.argument("sql")
@DB_OPTION
@FORMAT_OPTION
@click.option(
    "-p",
    "--param",
    "params",
    nargs=2,
    multiple=True,
    metavar="NAME VALUE",
    help="A named parameter (:name in the SQL); repeat for more.",
)
@click.option("--timeout", default=30.0, show_default=True, help="Stop the query after N s.")
def query(
    sql: str, db_path: Path, fmt: str, params: tuple[tuple[str, str], ...], timeout: float
) -> None:
    """Run one read-only SQL statement (writes are refused)."""
    with _read_only(db_path, timeout) as ro:
        columns, rows = ro.run(sql, dict(params))
    _emit(columns, rows, fmt)


@cli.command()
@click.argument("terms", nargs=-1, required=True)
@DB_OPTION
@click.option("--group", default="", help="western, chinese or hongkong.")
@click.option("--outlet", default="", help="Outlet slug.")
@click.option("--lang", default="", help="en or zh (zh includes traditional).")
@click.option("--frame", default="", help="Only articles where the current model found it.")
@click.option("--tone", default="", help="negative, neutral or positive (current model).")
@click.option("--since", default="", help="First publication date (YYYY-MM-DD).")
@click.option("--until", default="", help="Last publication date (YYYY-MM-DD).")
@click.option("--limit", default=20, show_default=True, help="Most results shown.")
@FORMAT_OPTION
def search(terms: tuple[str, ...], db_path: Path, limit: int, fmt: str, **filters: str) -> None:
    """Full-text search over titles and texts, ranked, with highlighted snippets.

    English: words, "phrases", prefix*, AND / OR / NOT. Chinese: any term of two or more
    characters (限薪, 精英, 共同富裕)."""
    from query.search import Filters
    from query.search import search as run

    with _read_only(db_path) as ro:
        columns, rows = run(ro, " ".join(terms), Filters(**filters), limit)
    if fmt == "table":  # the terminal gets the readable columns; other formats get them all
        keep = [columns.index(c) for c in ("published", "outlet", "tone", "title", "snippet")]
        columns, rows = [columns[i] for i in keep], [tuple(r[i] for i in keep) for r in rows]
    _emit(columns, rows, fmt)


@cli.command()
@DB_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "jsonl", "parquet"]),
    default="csv",
    show_default=True,
)
@click.option("--relevant-only", is_flag=True, help="Only articles the model found relevant.")
@click.option("--text", "with_text", is_flag=True, help="Include the article text.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Articles file [data/export/articles.FORMAT]; frames go to <name>-frames.FORMAT.",
)
def export(db_path: Path, fmt: str, relevant_only: bool, with_text: bool, out: Path | None) -> None:
    """Export articles with the current model's labels, and the long table of frames."""
    from query.export import export as run
    from query.export import frames_path

    out = out or Path("data/export") / f"articles.{fmt}"
    with _read_only(db_path, timeout=600) as ro:
        articles, frames = run(ro, out, fmt, relevant_only, with_text)
    click.echo(f"{articles} articles -> {out}; {frames} frame rows -> {frames_path(out)}")


@cli.command()
@DB_OPTION
@click.option("--group", default="", help="Only this group.")
@FORMAT_OPTION
def outlets(db_path: Path, group: str, fmt: str) -> None:
    """The outlets: last crawl, articles stored, articles the current model found relevant."""
    from query.catalog import outlets as run

    with _read_only(db_path) as ro:
        columns, rows = run(ro, group)
    _emit(columns, rows, fmt)


@cli.command()
@DB_OPTION
@click.option("--limit", default=50, show_default=True, help="Most recent runs shown.")
@FORMAT_OPTION
def runs(db_path: Path, limit: int, fmt: str) -> None:
    """Crawl history: started, finished, pages, new articles, errors."""
    from query.catalog import runs as run

    with _read_only(db_path) as ro:
        columns, rows = run(ro, limit)
    _emit(columns, rows, fmt)


@cli.command()
@DB_OPTION
@click.option("--port", default=8001, show_default=True, help="Port on 127.0.0.1.")
@click.option("--writable", is_flag=True, help="Let Datasette plugins write (default: read-only).")
def serve(db_path: Path, port: int, writable: bool) -> None:
    """Browse the database with Datasette on 127.0.0.1: described tables, facets, full-text
    search, stored queries for the claims and evidence."""
    import subprocess
    import tempfile

    from query.datasette import serve_command

    if not db_path.exists():
        raise click.ClickException(f"no database at {db_path}; run `framegap crawl` or pass --db")
    with tempfile.TemporaryDirectory(prefix="framegap-serve-") as work:
        command = serve_command(db_path, port, Path(work), writable)
        mode = "writable" if writable else "read-only"
        click.echo(f"Datasette on http://127.0.0.1:{port}/ ({mode}); Ctrl-C stops", err=True)
        try:
            code = subprocess.call(command)
        except KeyboardInterrupt:
            code = 0
    if code:
        raise click.ClickException(f"datasette stopped with exit code {code}")


@cli.command()
@DB_OPTION
@click.option("--outlet", "outlets", multiple=True, help="Outlet slug; repeat for more [all].")
@click.option("--sample", is_flag=True, help="Crawl the bundled sample sites (demo, tests).")
@click.option(
    "--registry", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None
)
@click.option("--model", "model_name", default=None, help="Model version or folder [default].")
@click.option(
    "--report-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the report goes [next to the database, report/].",
)
@click.option(
    "--skip",
    type=click.Choice(["crawl", "classify", "report"]),
    multiple=True,
    help="A step not to run; repeat for more.",
)
def update(
    db_path: Path,
    outlets: tuple[str, ...],
    sample: bool,
    registry: Path | None,
    model_name: str | None,
    report_dir: Path | None,
    skip: tuple[str, ...],
) -> None:
    """One incremental cycle for cron: crawl, classify what is pending, rebuild the report.

    Exit codes: 0 all went well; 1 a step failed; 3 the crawl monitor flagged an outlet;
    75 another update is running (this one did nothing)."""
    from ops.update import UpdateOptions
    from ops.update import update as run

    options = UpdateOptions(
        db_path, list(outlets), sample, registry, model_name, report_dir, tuple(skip)
    )
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    click.echo(f"framegap update started {started} on {db_path}")
    outcome = run(options, sys.stdout)
    for name, step in outcome.steps.items():
        click.echo(f"   {name}: exit {step['exit']:g} in {step['seconds']} s")
    for flag in outcome.flags:
        click.echo(f"   flag: {flag}")
    if outcome.message:
        click.echo(outcome.message, err=True)
    click.echo(f"framegap update ended with exit code {outcome.code}")
    sys.exit(outcome.code)


@cli.command()
@DB_OPTION
@click.option("--every", default="6h", show_default=True, help="Interval: 30m, 6h, 1d ...")
@click.option(
    "--log",
    "log_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("data/logs/update.log"),
    show_default=True,
    help="Where each run's output is appended.",
)
@click.option("--systemd", is_flag=True, help="A systemd user timer instead of a crontab entry.")
@click.option("--install", is_flag=True, help="Install it for the current user.")
@click.option("--remove", is_flag=True, help="Remove an installed schedule.")
@click.argument("update_args", nargs=-1)
def schedule(
    db_path: Path,
    every: str,
    log_path: Path,
    systemd: bool,
    install: bool,
    remove: bool,
    update_args: tuple[str, ...],
) -> None:
    """Print (or --install, or --remove) a schedule that runs `framegap update`.

    Arguments after -- go to `framegap update`, e.g. `-- --outlet reuters --outlet xinhua`."""
    from ops import schedule as sched

    try:
        if remove:
            removed = sched.remove_systemd() if systemd else sched.remove_cron()
            click.echo("removed the framegap schedule" if removed else "no framegap schedule")
            return
        interval = sched.Every.parse(every)
        framegap = Path(sys.executable).with_name("framegap")
        cmd = sched.command(framegap, db_path, log_path, list(update_args))
        root = Path(__file__).resolve().parent
        if systemd:
            units = sched.systemd_units(interval, cmd, root)
            if install:
                log_path.parent.mkdir(parents=True, exist_ok=True)
                for line in sched.install_systemd(units):
                    click.echo(line)
                click.echo(f"installed {', '.join(units)} in {sched.systemd_dir()}")
            else:
                for name, text in units.items():
                    click.echo(f"# {sched.systemd_dir() / name}\n{text}")
            return
        line = sched.cron_line(interval, cmd, root)
        if install:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            sched.install_cron(line)
            click.echo(f"installed in your crontab:\n{line}")
        else:
            click.echo(line)
    except sched.ScheduleError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@DB_OPTION
@click.option("--redis", "redis_url", required=True, metavar="redis://HOST:PORT/DB")
@click.option("--redis-name", default="crawl", show_default=True, help="The distributed crawl.")
@click.option("--sample", is_flag=True, help="The workers crawl the sample sites.")
@click.option(
    "--registry", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None
)
@click.option("--outlet", "outlets", multiple=True, help="Outlet slug; repeat for more [all].")
@click.option(
    "--wait", default=300.0, show_default=True, help="Give up after N s without any worker."
)
def ingest(
    db_path: Path,
    redis_url: str,
    redis_name: str,
    sample: bool,
    registry: Path | None,
    outlets: tuple[str, ...],
    wait: float,
) -> None:
    """The writer of a distributed crawl: start it first, then workers with
    `framegap crawl --redis URL`; it stores what they hand over and ends when they are done."""
    from crawler.errors import CrawlerError
    from crawler.ingest import ingest as run
    from db import DatabaseError, open_db
    from db.queries import crawl_run, run_summary

    try:
        result = run(redis_url, db_path, redis_name, sample, registry, list(outlets), wait)
        db = open_db(db_path)
    except (CrawlerError, DatabaseError) as exc:
        raise click.ClickException(str(exc)) from None
    _print_summary(run_summary(db, result.run_id))
    record = crawl_run(db, result.run_id) or {}
    for flag in record.get("stats", {}).get("framegap/flags", []):
        click.echo(f"monitor flag: {flag}")
    status = record.get("status")
    click.echo(
        f"crawl run {result.run_id}: {status}; {result.workers} worker(s), "
        f"{result.seconds} s; database {db_path}"
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
