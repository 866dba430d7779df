"""`vestlod mqa`: the MQA table of the built catalog, checked against the DQV it publishes."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import DCAT

from publish.build.pipeline import BuildResult
from publish.cli import main

BASE = "https://w3id.org/vestlod/"


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args, env={})
    return result.exit_code, result.stdout, result.stderr


def test_mqa_prints_the_table_and_agrees_with_the_published_dqv(built: BuildResult) -> None:
    code, out, err = run(["mqa", "--dist", str(built.out)])
    assert code == 0, err
    rows = [line for line in out.splitlines() if line.startswith("| id/dataset/")]
    assert len(rows) == 5 and all(row.endswith("| Excellent |") for row in rows)


def test_mqa_fails_when_the_published_score_is_not_what_the_catalog_gives(
        built: BuildResult, tmp_path: Path) -> None:
    folder = tmp_path / "dist"
    shutil.copytree(built.out, folder)
    catalog = folder / "catalog.ttl"
    g = Graph().parse(catalog, format="turtle")
    # the keywords gone: 30 points less for every dataset than the DQV in the same file claims
    g.remove((None, DCAT.keyword, None))
    catalog.write_bytes(g.serialize(format="turtle", encoding="utf-8"))
    code, _out, err = run(["mqa", "--dist", str(folder)])
    assert code == 1
    assert "error: " in err and "published" in err and "measured" in err
