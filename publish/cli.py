"""The `vestlod` command: a thin shell that parses options, calls one function, maps errors.

Every command turns a `VestlodError` into a one-line message on stderr and the error's exit code;
nothing here holds logic a test would need to reach.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from publish.config import load_settings
from publish.errors import VestlodError


def _errors_to_exit(func: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except VestlodError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


@click.group()
@click.version_option(package_name="vestlod")
def main() -> None:
    """vestlod: the West Danish cooperation annex as linked open data."""


@main.command()
@click.option("--out", type=click.Path(path_type=Path), help="Output folder (default dist/).")
@click.option("--data", type=click.Path(path_type=Path), help="Data folder (default data/).")
@_errors_to_exit
def build(out: Path | None, data: Path | None) -> None:
    """Build, validate and write the dataset (nothing is replaced unless it validates)."""
    from publish.build.pipeline import build as run_build

    settings = load_settings({"dist_dir": out, "data_dir": data})
    result = run_build(settings, log=lambda msg: click.echo(msg, err=True))
    click.echo(result.summary())


@main.command()
@click.option("--data", type=click.Path(path_type=Path), help="Data folder (default data/).")
@_errors_to_exit
def check(data: Path | None) -> None:
    """Check the annotations (quotes, ids, references, figures) without building."""
    from publish.build.pipeline import check_annotations

    settings = load_settings({"data_dir": data})
    click.echo(check_annotations(settings))


@main.command()
@click.option("--data", type=click.Path(path_type=Path), help="Data folder (default data/).")
@_errors_to_exit
def coverage(data: Path | None) -> None:
    """List names, acronyms and numbers in the annex that no annotation covers."""
    from publish.build.pipeline import coverage_report

    settings = load_settings({"data_dir": data})
    lines = coverage_report(settings)
    for line in lines:
        click.echo(line)
    if lines:
        sys.exit(1)


LOCAL = "http://vestlod.local"


@main.command()
@click.option("--host", help="Interface to bind (default 127.0.0.1, setting host).")
@click.option("--port", type=int, help="Port (default 8000; 0 picks a free one).")
@click.option("--dist", type=click.Path(path_type=Path), help="Folder with vestlod.trig.")
@click.option("--workers", type=int, help="Query worker processes (default: one per core).")
@click.option("--timeout", type=float, help="Query time limit in seconds (default 10).")
@click.option("--get", "get_path", help="Send one GET to this path in-process, print, exit.")
@click.option("--store", "store_url", metavar="URL",
              help="Serve from this remote SPARQL endpoint instead of dist/ (setting store_url).")
@_errors_to_exit
def serve(
    host: str | None,
    port: int | None,
    dist: Path | None,
    workers: int | None,
    timeout: float | None,
    get_path: str | None,
    store_url: str | None,
) -> None:
    """Serve /sparql (SPARQL 1.1 Protocol, read-only), /id, /doc and pages over dist/ or a
    remote store (--store)."""
    import socket

    import uvicorn

    from publish.query.backend import backend
    from publish.server import create_app

    settings = load_settings(
        {
            "host": host,
            "port": port,
            "dist_dir": dist,
            "query_workers": workers,
            "query_timeout": timeout,
            "store_url": store_url,
        }
    )
    loader, _probe = backend(settings)
    store = loader()  # fail here, not on a request
    app = create_app(settings, store)
    if get_path:
        import asyncio

        import httpx

        async def get_once() -> httpx.Response:
            async with app.router.lifespan_context(app):
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url=LOCAL) as client:
                    return await client.get(get_path)

        response = asyncio.run(get_once())
        click.echo(response.text, nl=False)
        sys.exit(0 if response.status_code < 400 else 1)

    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Inherited by accepted sockets: without it Nagle + delayed ACK add ~40 ms per keep-alive
    # request when a response goes out in two writes (measured).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((settings.host, settings.port))
    except OSError as exc:
        raise click.ClickException(f"cannot bind {settings.host}:{settings.port}: {exc}") from None
    bound = sock.getsockname()[1]
    shown = f"[{settings.host}]" if family == socket.AF_INET6 else settings.host
    if settings.store_url:
        click.echo(f"vestlod: remote store {store.stats.path}", err=True)
    click.echo(
        f"vestlod: serving {store.stats.quads} quads on http://{shown}:{bound}/sparql", err=True
    )
    # Our own JSON line per request (with its id, status and time) is the access log; uvicorn's
    # second, plain one cost ~6 % of the server's CPU per small query (profiled). No proxy is
    # trusted for X-Forwarded-* by default: nothing here reads the client address.
    server = uvicorn.Server(uvicorn.Config(app, log_level="info", lifespan="on",
                                           access_log=False, proxy_headers=False))
    server.run(sockets=[sock])


@main.command()
@click.option("--store", "store_url", metavar="URL", required=True,
              help="The remote store's SPARQL query endpoint (setting store_url).")
@click.option("--update", "update_url", metavar="URL",
              help="Its SPARQL Update endpoint (setting store_update_url; default: --store).")
@click.option("--graph-store", "graph_store_url", metavar="URL",
              help="Its Graph Store Protocol endpoint (setting store_graph_store_url).")
@click.option("--dist", type=click.Path(path_type=Path), help="Folder with vestlod.trig.")
@_errors_to_exit
def load(store_url: str, update_url: str | None, graph_store_url: str | None,
         dist: Path | None) -> None:
    """Replace the dataset's named graphs in a remote SPARQL store and verify the counts.

    Credentials come only from VESTLOD_STORE_USER and VESTLOD_STORE_PASSWORD.
    """
    from publish.query.remote_load import load_remote

    settings = load_settings({
        "store_url": store_url,
        "store_update_url": update_url,
        "store_graph_store_url": graph_store_url,
        "dist_dir": dist,
    })
    report = load_remote(settings, log=lambda msg: click.echo(msg, err=True))
    click.echo(report.summary())


@main.command()
@click.argument("text", metavar="QUERY")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "ntriples", "jsonld"]),
    default="table",
    show_default=True,
    help="table/csv/tsv/json/xml for SELECT and ASK; turtle/ntriples/jsonld for graphs.",
)
@click.option("--dist", type=click.Path(path_type=Path), help="Folder with vestlod.trig.")
@click.option("--timeout", type=float, help="Query time limit in seconds (default 10).")
@click.option("--store", "store_url", metavar="URL",
              help="Query this remote SPARQL endpoint instead of dist/ (setting store_url).")
@_errors_to_exit
def query(text: str, fmt: str, dist: Path | None, timeout: float | None,
          store_url: str | None) -> None:
    """Run a read-only SPARQL query on the built dataset ('-' reads it from stdin)."""
    from publish.formats import results_table
    from publish.query.backend import backend
    from publish.query.screening import screen
    from publish.query.store import QueryRequest, prefixes_for
    from publish.query.workers import query_once

    settings = load_settings({"dist_dir": dist, "query_timeout": timeout, "store_url": store_url})
    if text == "-":
        text = sys.stdin.read()
    screen(text, settings.service_allowlist)
    results_key = {"table": "srj", "json": "srj", "xml": "srx"}.get(fmt, fmt)
    graph_key = fmt if fmt in ("turtle", "ntriples", "jsonld") else "turtle"
    prefixes = prefixes_for(settings.base_iri)
    request = QueryRequest(
        text,
        results_format=results_key if results_key in ("srj", "srx", "csv", "tsv") else "srj",
        graph_format=graph_key,
        cap=settings.result_cap,
        prefixes=tuple(prefixes.items()),
    )
    store = backend(settings)[0]()
    result = query_once(store, request, settings.query_timeout)
    if fmt == "table" and result.kind != "graph":
        click.echo(results_table(result.body, prefixes))
    else:
        click.echo(result.body.decode("utf-8"), nl=False)
    if result.truncated:
        click.echo(f"warning: result cut at {settings.result_cap} (setting result_cap)", err=True)


@main.command()
@click.option("--data", type=click.Path(path_type=Path), help="Data folder (default data/).")
@_errors_to_exit
def links(data: Path | None) -> None:
    """Coverage of external identifiers and NACE mappings; every malformed or unsourced link."""
    from publish.build.links import collect_links, coverage_table
    from publish.build.pipeline import load_all

    settings = load_settings({"data_dir": data})
    _doc, ann = load_all(settings)
    linkset, _vocab, errors = collect_links(settings.data_dir / "links",
                                            settings.data_dir / "vocabularies", ann)
    for line in coverage_table(linkset, ann):
        click.echo(line)
    for err in errors:
        click.echo(f"error: {err}", err=True)
    if errors:
        sys.exit(1)


@main.command()
@click.option("--data", type=click.Path(path_type=Path),
              help="Built folder with vestlod.trig (default dist/).")
@click.option("--report", type=click.Path(path_type=Path),
              help="Where to write the report as Turtle, outside the built folder (default: "
              "none; the summary is printed).")
@click.option("--engine", type=click.Choice(["auto", "pyshacl", "fast"]), default="auto",
              show_default=True,
              help="pyshacl (the reference), fast (the Rust `shacl` package), auto: fast for "
              "large data.")
@_errors_to_exit
def validate(data: Path | None, report: Path | None, engine: str) -> None:
    """Validate a built dataset against shapes/; print every result, exit ≠ 0 on a violation."""
    from publish.build.integrity import check_integrity
    from publish.build.validate import validate_dist, write_report
    from publish.errors import ShaclViolation
    from publish.layout import TRIG

    settings = load_settings({"dist_dir": data})
    result = validate_dist(settings.dist_dir, settings, engine=engine)
    if report is not None:
        write_report(result, report, settings.dist_dir)
    click.echo(result.summary())
    integrity = check_integrity(settings.dist_dir / TRIG, settings.shapes_dir)
    click.echo(integrity.summary())
    if result.violations:
        raise ShaclViolation(f"{len(result.violations)} SHACL violations in {settings.dist_dir}")
    if integrity.problems:
        raise ShaclViolation(f"{len(integrity.problems)} integrity problems (Data Cube, refArea, "
                             f"SKOS) in {settings.dist_dir}")


if __name__ == "__main__":
    main()
