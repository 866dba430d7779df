"""Shared fixtures: a hermetic environment and the real annex built once per test session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from publish.build.pipeline import BuildResult, build
from publish.config import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """No VESTLOD_* variable of the developer's shell leaks into a test."""
    for key in list(os.environ):
        if key.startswith("VESTLOD_"):
            monkeypatch.delenv(key)


def project_settings(**overrides: object) -> Settings:
    base = {
        "data_dir": ROOT / "data",
        "ontology_dir": ROOT / "ontology",
        "shapes_dir": ROOT / "shapes",
    }
    base.update(overrides)
    return load_settings(base, environ={}, toml_path=ROOT / "no-such-file.toml")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuildResult]:
    """The real annex and annotations, built once into a temporary dist/."""
    out = tmp_path_factory.mktemp("built") / "dist"
    yield build(project_settings(dist_dir=out))


@pytest.fixture(scope="session")
def store(built: BuildResult) -> ox.Store:
    """The built dataset in an in-memory Oxigraph store (default graph = union)."""
    s = ox.Store()
    s.bulk_load(path=str(built.out / "vestlod.trig"), format=ox.RdfFormat.TRIG)
    return s


@pytest.fixture(scope="session")
def annex() -> str:
    return (ROOT / "data" / "source" / "annex.txt").read_text(encoding="utf-8")
