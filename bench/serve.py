"""A real `vestlod serve` for a benchmark: started on a port, waited for, stopped after."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def serving(dist: Path, port: int, **settings: str) -> Iterator[str]:
    """Serve ``dist`` on ``port`` with ``VESTLOD_*`` ``settings``; yield its URL once ready."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VESTLOD_")}
    env.update({"VESTLOD_" + k.upper(): v for k, v in settings.items()})
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/vestlod"), "serve", "--port", str(port), "--dist", str(dist)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=dist.parent)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
