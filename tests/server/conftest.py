"""A real `vestlod serve --port 0` over a small fixture dataset written into tmp_path.

Tests never read the real dist/: `write_dist` makes a miniature build in the contract's shape
(vestlod.trig with the four named graphs, SHA256SUMS). The server is a subprocess, so the
forked query workers, timeouts and swaps are exercised exactly as in production.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from publish.build.pipeline import BuildResult

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
