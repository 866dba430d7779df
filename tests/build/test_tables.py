"""The CSV tables for portals (issue #17, item 3), checked with a real CSV on the Web library.

`csvw` (PyPI, pinned in requirements.lock) reads the published table group as a portal would:
it validates every cell against its column's datatype and format, the required cells, the
primary keys and the foreign keys, and converts the tables to JSON with the metadata's
``aboutUrl``/``propertyUrl``/``valueUrl`` (W3C csv2json; the same templates csv2rdf uses). From
that conversion the test reads the triples a CSVW-to-RDF processor would give and checks them
against the published dataset: every subject a published IRI, every triple one the dataset
states.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import warnings
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from publish.build.pipeline import BuildResult
from publish.build.tables import tables_files
from publish.layout import SUMS, TABLES, TABLES_METADATA, read_sums, table_file

csvw = pytest.importorskip("csvw", reason="csvw (requirements.lock, dev extra) is not installed")
from csvw.metadata_utils import NAMESPACES  # noqa: E402

BASE = "https://w3id.org/vestlod/"
VL = BASE + "def/vestlod#"
FILES = [table_file(t) for t in TABLES]


def metadata(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / TABLES_METADATA).read_text(encoding="utf-8"))
    return data


def problems(folder: Path) -> list[str]:
    """What csvw finds wrong with the table group in ``folder`` (empty: valid)."""
    with warnings.catch_warnings():
        # csvw reports invalid cells as warnings; the suite's filters must not swallow them
        warnings.simplefilter("always")
        try:
            group = csvw.CSVW(str(folder / TABLES_METADATA), validate=True)
            valid = group.is_valid
        except ValueError as exc:  # csvw raises for a cell it cannot read at all
            return [str(exc)]
    return [] if valid else [str(w.message) for w in group.warnings] or ["invalid"]


def rows(folder: Path, name: str) -> list[dict[str, str]]:
    text = (folder / table_file(name)).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


# ------------------------------------------------------------------ published and valid


def test_every_table_is_published_with_the_dumps_and_listed_in_sha256sums(
        built: BuildResult) -> None:
    sums = read_sums(built.out)
    for name in [*FILES, TABLES_METADATA]:
        assert name in sums and (built.out / name).is_file(), name
    md = metadata(built.out)
    assert [t["url"] for t in md["tables"]] == FILES
    assert md["dc:license"] == {"@id": "http://publications.europa.eu/resource/authority/"
                                       "licence/CC_BY_4_0"}
    assert md["dc:source"] == {"@id": BASE + "id/dataset/vestlod"}
    assert (built.out / SUMS).is_file()


def test_every_table_validates_against_its_metadata(built: BuildResult) -> None:
    assert problems(built.out) == []
    group = csvw.TableGroup.from_file(built.out / TABLES_METADATA)
    counts = {}
    for table in group.tables:
        counts[str(table.url)] = sum(1 for _ in table.iterdicts(strict=True))
    assert group.check_referential_integrity()
    assert all(n > 0 for n in counts.values()), counts
    assert set(counts) == set(FILES)


def test_columns_have_names_titles_in_both_languages_and_datatypes(built: BuildResult) -> None:
    for table in metadata(built.out)["tables"]:
        header = (built.out / table["url"]).read_text(encoding="utf-8").splitlines()[0]
        columns = table["tableSchema"]["columns"]
        assert header.split(",") == [c["name"] for c in columns]
        for column in columns:
            assert set(column["titles"]) == {"da", "en", "und"}, column
            assert column["titles"]["und"] == column["name"]  # the header row's own title
            assert column["datatype"], column
        assert {t["@language"] for t in table["dc:title"]} == {"da", "en"}


def test_relations_point_at_actors_by_foreign_key(built: BuildResult) -> None:
    schema = next(t for t in metadata(built.out)["tables"]
                  if t["url"] == table_file("relations"))["tableSchema"]
    assert {(fk["columnReference"], fk["reference"]["resource"],
             fk["reference"]["columnReference"]) for fk in schema["foreignKeys"]} == {
        ("source", table_file("actors"), "iri"), ("target", table_file("actors"), "iri")}
    actors = {r["iri"] for r in rows(built.out, "actors")}
    for r in rows(built.out, "relations"):
        assert r["source"] in actors and r["target"] in actors


@pytest.mark.parametrize(("table", "column", "value", "why"), [
    ("actors", "iri", "not an IRI", "an IRI column's format"),
    ("figures", "obsValue", "about two thirds", "a decimal column"),
    ("relations", "property", "", "a required cell"),
    ("relations", "target", BASE + "id/org/no-such-actor", "a foreign key into actors"),
    ("actors", "label_da", None, "a duplicate primary key (the first row twice)"),
])
def test_a_table_that_breaks_its_metadata_fails(built: BuildResult, tmp_path: Path,
                                                table: str, column: str, value: str | None,
                                                why: str) -> None:
    """The validation can fail: one broken cell (or row) in a copy of the published tables."""
    for name in [*FILES, TABLES_METADATA]:
        shutil.copy(built.out / name, tmp_path / name)
    assert problems(tmp_path) == []
    path = tmp_path / table_file(table)
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    if value is None:
        lines.insert(2, lines[1])
    else:
        reader = list(csv.reader(lines[:2]))
        header, first = reader[0], reader[1]
        first[header.index(column)] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(first)
        lines[1] = out.getvalue()
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    assert problems(tmp_path), why


# ------------------------------------------------------------------ CSVW to RDF


def _expand(term: str) -> str:
    prefix, colon, local = term.partition(":")
    if colon and prefix in NAMESPACES and not local.startswith("//"):
        return NAMESPACES[prefix] + local
    return term


def csvw_triples(folder: Path) -> set[tuple[str, str, str]]:
    """(subject, property, value) of csvw's minimal-mode conversion: what CSVW-to-RDF gives,
    with values as text (an IRI where the metadata made one with ``valueUrl``)."""
    out: set[tuple[str, str, str]] = set()
    for thing in csvw.CSVW(str(folder / TABLES_METADATA)).to_json(minimal=True):
        subject = thing["@id"]
        for key, values in thing.items():
            if key == "@id":
                continue
            for value in values if isinstance(values, list) else [values]:
                out.add((subject, _expand(key), str(value)))
    return out


def _states(store: ox.Store, s: str, p: str, value: str) -> bool:
    for quad in store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None):
        o = quad.object
        if o.value == value:
            return True
        if isinstance(o, ox.Literal):
            try:
                if Decimal(o.value) == Decimal(value):
                    return True
            except InvalidOperation:
                continue
    return False


def test_csvw_to_rdf_gives_the_published_iris_and_only_published_triples(
        built: BuildResult, store: ox.Store) -> None:
    triples = csvw_triples(built.out)
    actors = {r["iri"] for r in rows(built.out, "actors")}
    subjects = {s for s, _, _ in triples}
    # the actors' rows describe exactly the published actors, by their published IRIs
    published = {q.subject.value for q in store.quads_for_pattern(
        None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        ox.NamedNode(VL + "Actor"))}
    assert actors == published
    assert actors <= subjects
    assert all(s.startswith(BASE + "id/") for s in subjects)
    # every triple is one the dataset states (labels, types, figures' components, relations)
    stated = [t for t in triples if _states(store, *t)]
    assert sorted(set(triples) - set(stated)) == []
    properties = {p for _, p, _ in triples}
    assert {"http://www.w3.org/2004/02/skos/core#prefLabel", "http://purl.org/dc/terms/type",
            VL + "businessArea", "http://purl.org/linked-data/sdmx/2009/measure#obsValue",
            VL + "partnerIn"} <= properties


def test_the_round_trip_check_can_fail(built: BuildResult, store: ox.Store,
                                       tmp_path: Path) -> None:
    """A column mapped to a property the data does not state is caught."""
    for name in [*FILES, TABLES_METADATA]:
        shutil.copy(built.out / name, tmp_path / name)
    md = metadata(tmp_path)
    columns = md["tables"][0]["tableSchema"]["columns"]
    kind = next(c for c in columns if c["name"] == "type_da")  # the label of the actor's type
    del kind["suppressOutput"]
    kind["propertyUrl"] = "http://www.w3.org/2004/02/skos/core#altLabel"
    (tmp_path / TABLES_METADATA).write_text(json.dumps(md), encoding="utf-8")
    assert problems(tmp_path) == []  # valid CSVW, but a claim the annex does not make
    wrong = [t for t in csvw_triples(tmp_path) if not _states(store, *t)]
    assert wrong and {p for _, p, _ in wrong} == {kind["propertyUrl"]}


# ------------------------------------------------------------------ determinism


def test_the_tables_are_deterministic(built: BuildResult) -> None:
    def once() -> dict[str, bytes]:
        ds = Dataset()
        ds.parse(built.out / "vestlod.trig", format="trig")
        return tables_files(ds, BASE, "http://publications.europa.eu/resource/authority/"
                            "licence/CC_BY_4_0", {"da": "x", "en": "y"}, BASE + "id/dataset/x")

    first = once()
    assert first == once()
    for name in FILES:
        assert (built.out / name).read_bytes() == first[name], name
        assert not first[name].startswith(b"\xef\xbb\xbf")  # no byte-order mark
