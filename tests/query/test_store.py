"""Loading dist/ aside into a store, in memory or on disk, and refusing a torn dist/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from publish.errors import QuerySyntax, StoreError
from publish.query.store import QueryRequest, dist_version, load_store
from tests.server.conftest import fixture_trig, write_dist

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count(store: object) -> int:
    result = store.execute(QueryRequest(COUNT))  # type: ignore[attr-defined]
    return int(json.loads(result.body)["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("on_disk", [False, True])
def test_load_reads_all_four_graphs_and_the_version(tmp_path: Path, on_disk: bool) -> None:
    version = write_dist(tmp_path / "dist", fixture_trig(n_actors=3))
    store_path = str(tmp_path / "store") if on_disk else ""
    store = load_store(tmp_path / "dist", store_path)
    if on_disk:
        store.prepare_worker()
    assert store.stats.version == version == dist_version(tmp_path / "dist")
    assert len(store.stats.graphs) == 4
    assert count(store) == store.stats.quads
    assert (Path(store.stats.path) / ".complete").exists() is on_disk


def test_a_dist_that_does_not_match_its_checksums_is_refused(tmp_path: Path) -> None:
    write_dist(tmp_path / "dist", fixture_trig())
    (tmp_path / "dist" / "vestlod.trig").write_text(fixture_trig(n_actors=1))
    with pytest.raises(StoreError, match="does not match"):
        load_store(tmp_path / "dist")


def test_a_missing_dist_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot read the dataset"):
        load_store(tmp_path / "nothing")


def test_syntax_errors_carry_the_parsers_message(tmp_path: Path) -> None:
    write_dist(tmp_path / "dist", fixture_trig())
    with pytest.raises(QuerySyntax, match="error at 1:"):
        load_store(tmp_path / "dist").execute(QueryRequest("SELECT ?x WHERE {"))


def test_a_corrupt_on_disk_store_is_rebuilt_with_a_log_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    dist = tmp_path / "dist"
    write_dist(dist, fixture_trig())
    root = tmp_path / "store"
    first = load_store(dist, str(root))
    quads = first.stats.quads
    del first
    (version_dir,) = [p for p in root.iterdir() if p.is_dir()]
    for f in version_dir.iterdir():
        if f.is_file() and f.name != ".complete":
            f.write_bytes(b"\0garbage" * 64)
    with caplog.at_level("WARNING", logger="vestlod.store"):
        again = load_store(dist, str(root))
    assert again.stats.quads == quads
    assert any("is corrupt" in r.getMessage() and "rebuilding it from dist/" in r.getMessage()
               for r in caplog.records)
