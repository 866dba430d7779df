"""The server under test, two ways, over a small fixture dataset written into tmp_path.

Tests never read the real dist/: `write_dist` makes a miniature build in the contract's shape
(vestlod.trig with the four named graphs, SHA256SUMS).

* In-process (`asgi`, `asgi_client`, `asgi_annex`; `InProcess`): ``create_app(settings,
  pool="threads")`` driven through ``httpx.ASGITransport`` on an event loop of its own thread,
  behind an ordinary sync ``httpx.Client``. Nothing forks and there is no socket: protocol,
  dereferencing, pages, catalog. Queries run in threads, so a query past the limit is answered
  503 but not stopped.
* A real `vestlod serve --port 0` subprocess (`server`, `client`, `annex_server`; `Server`),
  where the process itself is under test: the forked query workers, timeouts that free the
  CPU, swaps, faults, uvicorn's reading of raw bytes, and clients that need a real socket
  (SPARQLWrapper, rdflib, schemathesis, a browser, the load test).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from publish.build.pipeline import BuildResult
from publish.layout import TRIG, read_sums
from publish.server import create_app

BASE = "https://w3id.org/vestlod/"
REPO = Path(__file__).resolve().parents[2]
VESTLOD = str(Path(sys.executable).with_name("vestlod"))


def fixture_trig(n_actors: int = 12, label_suffix: str = "") -> str:
    """Actors with labels in two languages, a few figures, one quote; all four graphs."""
    lines = [
        "@prefix vl: <https://w3id.org/vestlod/def/vestlod#> .",
        "@prefix actor: <https://w3id.org/vestlod/id/actor/> .",
        "@prefix fig: <https://w3id.org/vestlod/id/figure/> .",
        "@prefix ann: <https://w3id.org/vestlod/id/annotation/> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "@prefix oa: <http://www.w3.org/ns/oa#> .",
        "<https://w3id.org/vestlod/graph/vocabulary> {",
        "  vl:Actor a <http://www.w3.org/2002/07/owl#Class> ; rdfs:label \"Aktør\"@da .",
        "}",
        "<https://w3id.org/vestlod/graph/data> {",
    ]
    for i in range(n_actors):
        lines.append(
            f'  actor:a{i} a vl:Actor ; skos:prefLabel "Aktør {i}{label_suffix}"@da , '
            f'"Actor {i}{label_suffix}"@en ; vl:size {i * 10} .'
        )
    lines.append('  fig:f1 vl:expression "ca. 152 mia. kr." ; vl:value 152000000000 .')
    lines.append("}")
    lines.append("<https://w3id.org/vestlod/graph/provenance> {")
    lines.append('  ann:x1 oa:hasBody fig:f1 ; oa:exact "omsætning på ca. 152 mia. kr." .')  # noqa: E501
    lines.append("}")
    lines.append("<https://w3id.org/vestlod/graph/metadata> {")
    lines.append('  <https://w3id.org/vestlod/dataset> rdfs:label "vestlod"@en .')
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_dist(dist: Path, trig: str) -> str:
    """Write the dataset aside and rename it into place, as the build does; return the version."""
    aside = dist.with_name(dist.name + ".new")
    aside.mkdir(parents=True, exist_ok=True)
    data = trig.encode("utf-8")
    (aside / "vestlod.trig").write_bytes(data)
    version = hashlib.sha256(data).hexdigest()
    (aside / "SHA256SUMS").write_text(f"{version}  vestlod.trig\n")
    if dist.exists():
        old = dist.with_name(dist.name + ".old")
        dist.rename(old)
        aside.rename(dist)
        for child in old.iterdir():
            child.unlink()
        old.rmdir()
    else:
        aside.rename(dist)
    return version


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]
    dist: Path
    version: str
    drain: threading.Thread

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=20, **kwargs)  # type: ignore[arg-type]


def clean_env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VESTLOD_")}
    env.update({"VESTLOD_" + k.upper(): v for k, v in settings.items()})
    return env


def start_server(tmp: Path, trig: str | None = None, **settings: str) -> Server:
    dist = tmp / "dist"
    version = write_dist(dist, trig or fixture_trig())
    defaults = {
        "dist_dir": str(dist),
        "query_timeout": "1",
        "query_workers": "2",
        "result_cap": "5",
        "reload_interval": "0",
        "ui_assets_dir": str(tmp / "no-ui"),
    }
    proc = subprocess.Popen(
        [VESTLOD, "serve", "--port", "0"],
        cwd=tmp,
        env=clean_env(**{**defaults, **settings}),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    url = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and url is None:
        line = proc.stderr.readline()
        if not line and proc.poll() is not None:
            break
        match = re.search(r"on (http://127\.0\.0\.1:\d+)/sparql", line)
        if match:
            url = match.group(1)
    if url is None:
        proc.kill()
        proc.wait()
        message = proc.stderr.read()
        proc.stderr.close()  # an open pipe left to the GC becomes a ResourceWarning elsewhere
        raise RuntimeError(f"vestlod serve did not start: {message}")
    # Drain stderr in the background so a chatty log never blocks the server.
    drain = threading.Thread(target=proc.stderr.read, daemon=True)
    drain.start()
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/readyz", timeout=2).status_code == 200:
                return Server(url, proc, dist, version, drain)
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    drain.join(timeout=5)
    proc.stderr.close()
    raise RuntimeError("vestlod serve never became ready")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    server.drain.join(timeout=5)
    if server.process.stderr is not None:
        server.process.stderr.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = start_server(tmp_path_factory.mktemp("srv"))
    yield srv
    stop_server(srv)


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as c:
        yield c


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def build_annex_dist(out: Path) -> Path:
    """The real annex and annotations as dumps in ``out``, without the SHACL gate.

    The gate has its own tests (tests/test_build.py) and takes minutes; dereferencing needs
    the data, not the verdict, so the resource tests build the graph and write the dumps only.
    """
    from publish.build.dumps import write_dumps
    from publish.build.graph import build_dataset
    from publish.build.pipeline import load_all
    from tests.conftest import project_settings

    settings = project_settings(dist_dir=out)
    doc, ann = load_all(settings)
    write_dumps(build_dataset(doc, ann, settings), out)
    return out


@pytest.fixture(scope="session")
def annex_server(tmp_path_factory: pytest.TempPathFactory, built: BuildResult) -> Iterator[Server]:
    """`vestlod serve` over the real annex, as `vestlod build` published it (gate, catalog)."""
    tmp = tmp_path_factory.mktemp("annex")
    dist = built.out
    srv = start_server(tmp, dist_dir=str(dist), query_timeout="20", result_cap="5")
    srv.dist = dist
    yield srv
    stop_server(srv)


# --- in-process ---------------------------------------------------------------------------------

#: The settings `start_server` gives `vestlod serve`, for the in-process app as well.
SERVE_DEFAULTS: dict[str, object] = {
    "query_timeout": 1,
    "query_workers": 2,
    "result_cap": 5,
    "reload_interval": 0,
}


class _Bridge(httpx.BaseTransport):
    """A sync transport that hands each request to ``httpx.ASGITransport`` on the app's loop."""

    def __init__(self, app: FastAPI, loop: asyncio.AbstractEventLoop) -> None:
        self._asgi = httpx.ASGITransport(app=app)
        self._loop = loop

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()  # a sync body (a generator) becomes bytes the async side can take

        async def send() -> httpx.Response:
            response = await self._asgi.handle_async_request(request)
            # the raw (still encoded) bytes: the sync client decodes them as Content-Encoding says
            body = b"".join([chunk async for chunk in response.aiter_raw()])
            return httpx.Response(response.status_code, headers=response.headers,
                                  stream=httpx.ByteStream(body), extensions=response.extensions)

        return asyncio.run_coroutine_threadsafe(send(), self._loop).result(timeout=120)


class InProcess:
    """``create_app`` over ``dist`` with its lifespan entered, on an event loop in a thread.

    The same face as `Server` (``url``, ``dist``, ``version``, ``client()``), so a test reads
    the same whichever it runs against. ``url`` is only the origin the requests name.
    """

    url = "http://127.0.0.1:8000"

    def __init__(self, tmp: Path, dist: Path, version: str, **settings: object) -> None:
        from tests.conftest import project_settings

        self.dist = dist
        self.version = version
        merged = {**SERVE_DEFAULTS, "ui_assets_dir": tmp / "no-ui", **settings}
        self.app = create_app(project_settings(dist_dir=dist, **merged), pool="threads")
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="vestlod-asgi", daemon=True)
        self._stop: asyncio.Event | None = None
        self._held: concurrent.futures.Future[None] | None = None
        self._thread.start()
        started: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._held = asyncio.run_coroutine_threadsafe(self._hold(started), self._loop)
        try:
            started.result(timeout=120)
        except BaseException:
            self.close(quiet=True)
            raise

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()
        self._loop.run_until_complete(self._loop.shutdown_asyncgens())
        self._loop.run_until_complete(self._loop.shutdown_default_executor())
        self._loop.close()

    async def _hold(self, started: concurrent.futures.Future[None]) -> None:
        """Enter and leave the lifespan in one task, as a server does."""
        self._stop = asyncio.Event()
        try:
            async with self.app.router.lifespan_context(self.app):
                started.set_result(None)
                await self._stop.wait()
        except BaseException as exc:
            if not started.done():
                started.set_exception(exc)
            raise

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(transport=_Bridge(self.app, self._loop), base_url=self.url,
                            timeout=20, **kwargs)  # type: ignore[arg-type]

    def close(self, quiet: bool = False) -> None:
        """Leave the lifespan (the pool closes), stop the loop; a failed shutdown is raised."""
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        error: BaseException | None = None
        if self._held is not None:
            concurrent.futures.wait([self._held], timeout=60)
            if not self._held.done():
                error = RuntimeError("the app's lifespan did not end within 60 s")
            elif not self._held.cancelled():
                error = self._held.exception()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=60)
        if error is not None and not quiet:
            raise error


def start_in_process(tmp: Path, trig: str | None = None, **settings: object) -> InProcess:
    """`start_server`'s in-process twin: the fixture dataset written into ``tmp/dist``."""
    dist = tmp / "dist"
    version = write_dist(dist, trig or fixture_trig())
    return InProcess(tmp, dist, version, **settings)


@pytest.fixture(scope="session")
def asgi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    """The fixture dataset served in-process, with the settings `server` has."""
    app = start_in_process(tmp_path_factory.mktemp("asgi"))
    yield app
    app.close()


@pytest.fixture
def asgi_client(asgi: InProcess) -> Iterator[httpx.Client]:
    with asgi.client() as c:
        yield c


@pytest.fixture(scope="session")
def asgi_annex(tmp_path_factory: pytest.TempPathFactory, built: BuildResult) -> Iterator[InProcess]:
    """The real annex as `vestlod build` published it, served in-process (as `annex_server`)."""
    tmp = tmp_path_factory.mktemp("asgi-annex")
    dist = built.out
    version = read_sums(dist)[TRIG]
    app = InProcess(tmp, dist, version, query_timeout=20)
    yield app
    app.close()


def serve_dist(dist: Path, check: Callable[[httpx.AsyncClient], Awaitable[None]],
               **settings: object) -> None:
    """Run ``check`` against an app serving the built ``dist`` in process, lifespan included:
    one app per call, for tests that change settings (the shared `asgi_annex` cannot)."""
    from tests.conftest import project_settings

    app = create_app(project_settings(dist_dir=dist, query_workers=1, reload_interval=0,
                                      **settings))

    async def run() -> None:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                await check(client)

    asyncio.run(run())
