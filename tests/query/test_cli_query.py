"""`vestlod query` prints answers from dist/ as a table, CSV or JSON; refusals exit non-zero."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from publish.cli import main
from tests.server.conftest import fixture_trig, write_dist

QUERY = (
    "SELECT ?a ?l WHERE { ?a <http://www.w3.org/2004/02/skos/core#prefLabel> ?l "
    'FILTER(lang(?l) = "en") } ORDER BY ?l LIMIT 2'
)


def run(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    write_dist(tmp_path / "dist", fixture_trig())
    result = CliRunner().invoke(
        main, ["query", "--dist", str(tmp_path / "dist"), *args], env={"VESTLOD_CONFIG": "-"}
    )
    return result.exit_code, result.stdout, result.stderr


def test_table_is_the_default_and_compacts_iris(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, QUERY)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["?a", "|", "?l"]
    assert "vlid:actor/a0" not in out  # '/' is not a safe local name: shown as a full IRI
    assert '<https://w3id.org/vestlod/id/actor/a0> | "Actor 0"@en' in out
    assert lines[-1] == "(2 rows)"


def test_csv_and_json(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, "--format", "csv", QUERY)
    assert code == 0 and out.splitlines()[0] == "a,l"
    code, out, _ = run(tmp_path, "--format", "json", QUERY)
    assert len(json.loads(out)["results"]["bindings"]) == 2


def test_ask_prints_true_or_false(tmp_path: Path) -> None:
    assert run(tmp_path, "ASK { ?s ?p ?o }")[1].strip() == "true"


def test_updates_are_refused_with_a_non_zero_exit(tmp_path: Path) -> None:
    code, _, err = run(tmp_path, "DELETE WHERE { ?s ?p ?o }")
    assert code == 1 and "read-only" in err


def test_syntax_errors_show_the_parser_message(tmp_path: Path) -> None:
    code, _, err = run(tmp_path, "SELECT ?x WHERE {")
    assert code == 1 and "error at 1:" in err
