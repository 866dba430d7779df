"""Faults: ``kill -9`` of the server mid-query and of a build mid-write; a corrupt or missing
on-disk store. After each, the last good dataset is served whole: the version the server
reports is the sha256 of the dist/ it was verified against, and every quad is there."""

from __future__ import annotations

import concurrent.futures
import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bench.load import process_tree
from publish.query.store import read_dist
from tests.server.conftest import (
    REPO,
    Server,
    fixture_trig,
    start_server,
    stop_server,
)
from tests.server.test_limits import ENDLESS

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def quads(server: Server) -> int:
    r = httpx.get(server.sparql, params={"query": COUNT}, timeout=20)
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def kill_mid_query(server: Server) -> list[int]:
    """SIGKILL the server while a query runs in a worker; return the tree's pids at the kill."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        running = pool.submit(httpx.post, server.sparql, data={"query": ENDLESS}, timeout=20)
        time.sleep(0.4)
        tree = process_tree(server.process.pid)
        assert len(tree) > 1, "the query workers should be forked children"
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=10)
        with pytest.raises(httpx.TransportError):
            running.result()
    server.drain.join(timeout=5)
    if server.process.stderr is not None:
        server.process.stderr.close()
    return tree


def gone(pids: list[int], within: float = 15.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        alive = [p for p in pids if Path(f"/proc/{p}").exists()
                 and "zombie" not in Path(f"/proc/{p}/status").read_text().lower()]
        if not alive:
            return True
        time.sleep(0.1)
    return False


def test_kill_9_mid_query_then_restart_serves_the_whole_dataset(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = start_server(tmp_path, store_path=str(store))
    expected = quads(first)
    tree = kill_mid_query(first)
    assert gone(tree), "orphaned query workers outlived a killed server"
    second = start_server(tmp_path, store_path=str(store))
    try:
        data, version = read_dist(second.dist)
        assert second.version == version == hashlib.sha256(data).hexdigest()
        ready = httpx.get(second.url + "/readyz", timeout=5).json()
        assert ready["version"] == version
        assert quads(second) == expected == ready["quads"]
    finally:
        stop_server(second)


def test_a_missing_on_disk_store_is_rebuilt_from_dist(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = start_server(tmp_path, store_path=str(store))
    expected = quads(first)
    stop_server(first)
    for child in store.iterdir():
        subprocess.run(["rm", "-rf", str(child)], check=True)
    second = start_server(tmp_path, store_path=str(store))
    try:
        assert quads(second) == expected
    finally:
        stop_server(second)


def test_a_corrupt_on_disk_store_is_rebuilt_from_dist(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = start_server(tmp_path, store_path=str(store))
    expected = quads(first)
    stop_server(first)
    (version_dir,) = [p for p in store.iterdir() if p.is_dir()]
    for f in version_dir.iterdir():
        if f.is_file() and f.name != ".complete":
            f.write_bytes(b"\0garbage" * 64)
    second = start_server(tmp_path, store_path=str(store))
    try:
        assert quads(second) == expected
    finally:
        stop_server(second)


WRITER = """
import sys
from pathlib import Path
from publish.build.dumps import publish_files
out, trig = Path(sys.argv[1]), Path(sys.argv[2]).read_bytes()
import hashlib
digest = hashlib.sha256(trig).hexdigest()
publish_files(out, {"vestlod.trig": trig, "pad.bin": trig * 4},
              f"{digest}  vestlod.trig\\n", digest[:16])
"""


def test_kill_9_of_a_build_mid_write_leaves_the_last_good_dataset(tmp_path: Path) -> None:
    """`publish_files` (the build's write-aside-and-swap) killed while its temporary folder
    is being written, three times at random moments: dist/ is always one whole dataset."""
    dist = tmp_path / "dist"
    good = fixture_trig().encode("utf-8")
    big = tmp_path / "big.trig"
    big.write_bytes(fixture_trig(150_000, " (new)").encode("utf-8"))
    seed = tmp_path / "good.trig"
    seed.write_bytes(good)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-c", WRITER, str(dist), str(seed)], check=True, env=env)
    rng = random.Random(9)
    killed_mid_write = 0
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(dist), str(big)], env=env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not list(tmp_path.glob(".dist.*.tmp-*")):
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.05))
        writing = bool(list(tmp_path.glob(".dist.*.tmp-*")))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed_mid_write += writing and proc.returncode == -signal.SIGKILL
        data, version = read_dist(dist)  # raises if SHA256SUMS and the data disagree
        assert data == good
    assert killed_mid_write >= 1, "no kill landed while the build was writing"
    server = start_server_on(tmp_path, dist)
    try:
        assert server.version == hashlib.sha256(good).hexdigest()
        assert quads(server) > 0
    finally:
        stop_server(server)


def start_server_on(tmp: Path, dist: Path) -> Server:
    """`start_server` rewrites dist/; here the dataset left by the kills must be served as is."""
    saved = {p.name: p.read_bytes() for p in dist.resolve().iterdir()}
    server = start_server(tmp / "srv", trig=saved["vestlod.trig"].decode("utf-8"))
    assert server.version == hashlib.sha256(saved["vestlod.trig"]).hexdigest()
    return server
