"""The `vestlod` command: a thin shell that parses options, calls one function, maps errors.

Every command turns a `VestlodError` (and an `OSError`: a missing folder, a full disk) into a
one-line message on stderr and an exit code; nothing here holds logic a test would need to reach.

One vocabulary on every command: ``--dist`` is the built folder (setting ``dist_dir``), ``--data``
the source folder (setting ``data_dir``), ``--store`` the remote store (setting ``store_url``). A
flag left out falls back to its setting, so ``VESTLOD_*`` and ``vestlod.toml`` work everywhere.
``--out`` (build) and ``--data`` on validate are the names of an earlier release: they still
work for one release and say so on stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from publish.config import load_settings
from publish.errors import ConfigError, VestlodError


def _errors_to_exit(func: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except VestlodError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {where}{exc.strerror or exc}", err=True)
            sys.exit(1)

    return wrapper


def _dist_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--dist", type=click.Path(path_type=Path),
                        help="The built folder (setting dist_dir, default dist/).")(func)


def _data_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--data", type=click.Path(path_type=Path),
                        help="The source folder (setting data_dir, default data/).")(func)


def _deprecated(new: Path | None, old: Path | None, old_flag: str) -> Path | None:
    """Honour an earlier release's flag for the built folder, with a warning on stderr."""
    if old is None:
        return new
    click.echo(f"warning: {old_flag} is deprecated here, use --dist", err=True)
    if new is not None and new != old:
        raise click.UsageError(f"--dist {new} and {old_flag} {old} name different folders")
    return old


@click.group()
@click.version_option(package_name="vestlod")
def main() -> None:
    """vestlod: the West Danish cooperation annex as linked open data."""


@main.command()
@_dist_option
@_data_option
@click.option("--out", type=click.Path(path_type=Path), hidden=True)
@_errors_to_exit
def build(dist: Path | None, data: Path | None, out: Path | None) -> None:
    """Build, validate and write the dataset (nothing is replaced unless it validates)."""
    from publish.build.pipeline import build as run_build

    settings = load_settings({"dist_dir": _deprecated(dist, out, "--out"), "data_dir": data})
    result = run_build(settings, log=lambda msg: click.echo(msg, err=True))
    click.echo(result.summary())


@main.command()
@_data_option
@_errors_to_exit
def check(data: Path | None) -> None:
    """Run every step `build` runs before the SHACL gate (annotations, figures, links, catalog)
    and list every problem at once; writes nothing."""
    from publish.build.pipeline import check_annotations

    settings = load_settings({"data_dir": data})
    click.echo(check_annotations(settings))


@main.command()
@_data_option
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
@_dist_option
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
    from publish.server.protocol import timed_protocol

    server = uvicorn.Server(uvicorn.Config(app, log_level="info", lifespan="on",
                                           access_log=False, proxy_headers=False,
                                           http=timed_protocol(settings.request_timeout)))
    server.run(sockets=[sock])


@main.command()
@click.option("--store", "store_url", metavar="URL",
              help="The remote store's SPARQL query endpoint (setting store_url).")
@click.option("--update", "update_url", metavar="URL",
              help="Its SPARQL Update endpoint (setting store_update_url; default: --store).")
@click.option("--graph-store", "graph_store_url", metavar="URL",
              help="Its Graph Store Protocol endpoint (setting store_graph_store_url).")
@click.option("--bulk-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Virtuoso only: load through its bulk loader from files written here, a "
                   "folder it can read (setting store_bulk_dir).")
@click.option("--isql", "isql", metavar="HOST:PORT",
              help="Virtuoso's SQL port for the bulk loader (setting store_isql).")
@_dist_option
@_errors_to_exit
def load(store_url: str | None, update_url: str | None, graph_store_url: str | None,
         bulk_dir: Path | None, isql: str | None, dist: Path | None) -> None:
    """Replace the dataset's named graphs in a remote SPARQL store and verify the counts.

    Credentials come only from VESTLOD_STORE_USER and VESTLOD_STORE_PASSWORD.
    """
    from publish.query.remote_load import load_remote

    settings = load_settings({
        "store_url": store_url,
        "store_update_url": update_url,
        "store_graph_store_url": graph_store_url,
        "store_bulk_dir": bulk_dir,
        "store_isql": isql,
        "dist_dir": dist,
    })
    if not settings.store_url:
        raise ConfigError("no remote store: pass --store URL or set VESTLOD_STORE_URL")
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
@_dist_option
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
@_data_option
@_errors_to_exit
def links(data: Path | None) -> None:
    """Coverage of external identifiers and NACE mappings; every malformed or unsourced link."""
    from publish.build.links import collect_links, coverage_table
    from publish.build.pipeline import load_all

    settings = load_settings({"data_dir": data})
    _doc, ann = load_all(settings)
    linkset, _vocab, errors = collect_links(settings.data_dir / "links",
                                            settings.data_dir / "vocabularies", ann,
                                            settings.ontology_dir)
    for line in coverage_table(linkset, ann):
        click.echo(line)
    for err in errors:
        click.echo(f"error: {err}", err=True)
    if errors:
        sys.exit(1)


@main.command()
@_dist_option
@click.option("--data", type=click.Path(path_type=Path), hidden=True)
@click.option("--report", type=click.Path(path_type=Path),
              help="Where to write the report as Turtle, outside the built folder (default: "
              "none; the summary is printed).")
@click.option("--engine", type=click.Choice(["auto", "pyshacl", "fast"]), default="auto",
              show_default=True,
              help="pyshacl (the reference), fast (the Rust `shacl` package), auto: fast for "
              "large data.")
@_errors_to_exit
def validate(dist: Path | None, data: Path | None, report: Path | None, engine: str) -> None:
    """Validate a built dataset against shapes/; print every result, exit ≠ 0 on a violation.

    Never writes into the built folder: its files stay the ones SHA256SUMS names."""
    from publish.build.integrity import check_integrity
    from publish.build.validate import validate_dist, write_report
    from publish.errors import ShaclViolation
    from publish.layout import TRIG

    settings = load_settings({"dist_dir": _deprecated(dist, data, "--data")})
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


@main.group()
def deploy() -> None:
    """Files other servers need to put vestlod on the web at its own IRIs."""


@deploy.command("w3id")
@click.option("--target", required=True, metavar="URL",
              help="The server that hosts vestlod, e.g. https://vestlod.example.org.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path),
              help="Write .htaccess and README.md into this folder (the w3id.org repository's "
              "folder for the base IRI); default: print the .htaccess.")
@click.option("--maintainers", default="the vestlod developers",
              help="Who keeps the registration (README.md).")
@_errors_to_exit
def deploy_w3id(target: str, out_dir: Path | None, maintainers: str) -> None:
    """The .htaccess a w3id.org registration needs: 303 for /id/, 307 for /sparql, else 302,
    all to the same path on --target."""
    from publish.deploy.w3id import htaccess, readme

    settings = load_settings()
    rules = htaccess(settings.base_iri, target)
    if out_dir is None:
        click.echo(rules, nl=False)
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / ".htaccess").write_text(rules, encoding="utf-8")
    (out_dir / "README.md").write_text(readme(settings.base_iri, target, maintainers),
                                       encoding="utf-8")
    click.echo(f"wrote {out_dir / '.htaccess'} and {out_dir / 'README.md'}", err=True)


@deploy.command("nginx")
@click.option("--replica", "replicas", multiple=True, required=True, metavar="URL",
              help="A running `vestlod serve`, e.g. http://127.0.0.1:8001 (repeat per replica).")
@click.option("--listen", default="127.0.0.1:8080", show_default=True,
              help="Where nginx listens.")
@click.option("--state", type=click.Path(path_type=Path), required=True,
              help="Folder for nginx.conf, its pid, logs, temp files and cache.")
@click.option("--cache-mb", type=int, default=1024, show_default=True,
              help="Largest size of the shared cache on disk.")
@_errors_to_exit
def deploy_nginx(replicas: tuple[str, ...], listen: str, state: Path, cache_mb: int) -> None:
    """nginx.conf for a load balancer and shared cache in front of N replicas; prints how to
    start it."""
    from publish.deploy.nginx import nginx_conf

    settings = load_settings()
    conf = nginx_conf(settings, list(replicas), listen, state, cache_mb)
    for sub in ("tmp", "cache"):
        (state / sub).mkdir(parents=True, exist_ok=True)
    (state / "nginx.conf").write_text(conf, encoding="utf-8")
    click.echo(f"nginx -p {state.absolute()}/ -c {state.absolute()}/nginx.conf "
               "-g 'daemon off;'")


@main.command()
@_dist_option
@click.option("--server", metavar="URL",
              help="Ask this running server (e.g. http://127.0.0.1:8000) with HEAD whether each "
              "access and download URL answers, instead of the build's prediction. The catalog's "
              "base IRI is replaced by URL; nothing outside it is ever requested.")
@_errors_to_exit
def mqa(dist: Path | None, server: str | None) -> None:
    """The EU portal's Metadata Quality Assessment of every catalogued dataset: points per
    dimension, total and rating, recomputed from the built catalog and compared with the DQV
    measurements it publishes; exit ≠ 0 if they differ or a dataset is not Excellent."""
    import urllib.error
    import urllib.request

    from rdflib import Graph

    from publish.build.mqa import (
        assess_with,
        compliance,
        published_url,
        read_measurements,
        rounded,
        table,
    )
    from publish.errors import VestlodError
    from publish.layout import CATALOG, read_sums

    settings = load_settings({"dist_dir": dist})
    folder = Path(settings.dist_dir)
    g = Graph().parse(folder / CATALOG, format="turtle")
    base = settings.base_iri
    if server is None:
        reachable = published_url(settings, read_sums(folder))
    else:
        origin = server.rstrip("/") + "/"

        def reachable(url: str) -> bool:
            if not url.startswith(base):
                return False  # never the internet
            request = urllib.request.Request(origin + url[len(base):], method="HEAD")
            try:
                with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                    return 200 <= int(response.status) < 400
            except (urllib.error.URLError, OSError):
                return False

    scores = assess_with(g, reachable, compliance(g, settings))
    click.echo(table(scores, base))
    published = read_measurements(g, base)
    wrong = [f"{ds}: published {published.get(ds, {}).get('score')}, "
             f"measured {rounded(s.total)}" for ds, s in sorted(scores.items())
             if published.get(ds, {}).get("score") != str(rounded(s.total))]
    below = [f"{ds}: {s.rating}" for ds, s in sorted(scores.items()) if s.rating != "Excellent"]
    if wrong or below:
        raise VestlodError("; ".join(wrong + below))


@main.command("settings")
@click.option("--markdown", is_flag=True,
              help="Print the defaults as the README's Markdown table instead.")
@_errors_to_exit
def settings_command(markdown: bool) -> None:
    """Every setting: its default, environment variable, current value and where that came
    from (default, vestlod.toml or $VESTLOD_CONFIG, the environment). Secrets show as (set)."""
    from publish.config import describe_settings, settings_markdown

    if markdown:
        click.echo(settings_markdown(), nl=False)
        return
    rows = describe_settings()
    header = ("setting", "environment variable", "default", "current", "from")
    table = [header] + [(r.name, r.env, r.default, r.current, r.source) for r in rows]
    widths = [min(max(len(row[i]) for row in table), 40) for i in range(len(header) - 1)]
    for row in table:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, row[-1]]).rstrip())


if __name__ == "__main__":
    main()
