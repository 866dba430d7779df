"""data/retired.csv: each kind of refused row names file, line and field; tombstones are data.

The rows are checked against the subjects of the new build (`check_retired`), so the unit
tests give that set directly; two tests run the real `check` over a copy of data/ to show the
pipeline refuses what the module refuses, and one checks the committed file against the build.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef

from publish.build.pipeline import check_annotations
from publish.build.retired import (
    COLUMNS,
    Tombstone,
    add_tombstones,
    check_retired,
    parse_retired,
    tombstone_triples,
)
from publish.errors import AnnotationError, AnnotationErrors
from publish.uris import Uris
from publish.vocab import DCTERMS, OWL, PROV, RDF, SKOS, XSD
from tests.build.test_pipeline import copy_data
from tests.conftest import ROOT, project_settings

BASE = "https://w3id.org/vestlod/"
HEADER = ",".join(COLUMNS) + "\n"
LIVE = {"id/org/vestas", "id/relation/new", "id/figure/kept"}


def csv_text(*rows: str) -> str:
    return HEADER + "".join(row + "\n" for row in rows)


def errors_of(*rows: str, subjects: set[str] = LIVE) -> list[str]:
    parsed, errors = parse_retired(csv_text(*rows))
    _, more = check_retired(parsed, subjects)
    return [str(e) for e in [*errors, *more]]


def tombstones_of(*rows: str) -> dict[str, str | None]:
    parsed, errors = parse_retired(csv_text(*rows))
    stones, more = check_retired(parsed, LIVE)
    assert not errors and not more, [*errors, *more]
    return {t.iri: t.successor for t in stones}


# ---------------------------------------------------------------- accepted rows


def test_the_committed_file_has_the_fixed_header() -> None:
    text = (ROOT / "data" / "retired.csv").read_text("utf-8")
    assert text.splitlines()[0] == "iri,successor,reason_da,reason_en"


def test_a_moved_and_a_gone_iri_are_accepted() -> None:
    assert tombstones_of(
        "id/relation/old,id/relation/new,Relationen fik ny type.,The relation got a new type.",
        "id/figure/gone,,Tallet står ikke i bilaget.,The figure is not in the annex.",
    ) == {"id/relation/old": "id/relation/new", "id/figure/gone": None}


def test_a_chain_of_successors_ends_at_the_live_resource() -> None:
    """One redirect, never a chain of them: a → b → new makes a's successor new."""
    assert tombstones_of(
        "id/relation/a,id/relation/b,Flyttet.,Moved.",
        "id/relation/b,id/relation/new,Flyttet igen.,Moved again.",
    ) == {"id/relation/a": "id/relation/new", "id/relation/b": "id/relation/new"}


def test_a_chain_that_ends_in_a_gone_iri_is_gone() -> None:
    assert tombstones_of(
        "id/relation/a,id/relation/b,Flyttet.,Moved.",
        "id/relation/b,,Fjernet.,Removed.",
    ) == {"id/relation/a": None, "id/relation/b": None}


def test_quoted_reasons_with_commas_are_read_whole() -> None:
    parsed, errors = parse_retired(csv_text(
        'id/figure/gone,,"Fjernet, ikke et tal.","Removed, not a figure."'))
    assert not errors and parsed[0].reason == {"da": "Fjernet, ikke et tal.",
                                               "en": "Removed, not a figure."}


# ---------------------------------------------------------------- refused rows


def test_a_wrong_header_is_refused_at_line_1() -> None:
    _, errors = parse_retired("iri,successor,reason\nid/org/x,,y\n")
    assert [str(e) for e in errors] == [
        "data/retired.csv:1: header must be iri,successor,reason_da,reason_en, "
        "not iri,successor,reason"]


@pytest.mark.parametrize("iri", [
    "/id/org/x", "https://w3id.org/vestlod/id/org/x", "id/org/x#target", "id/org/x.ttl",
    "doc/org/x", "id/org", "id/Org/x", "id/org/x/y", "def/vestlod",
])
def test_a_malformed_iri_is_refused(iri: str) -> None:
    assert errors_of(f"{iri},,Fjernet.,Removed.") == [
        f"data/retired.csv:2: [iri] not a path of the form id/{{kind}}/{{slug}} under the base "
        f"IRI: {iri!r} (no leading slash, no base IRI, no #fragment, no suffix)"]


def test_an_empty_iri_is_refused() -> None:
    assert errors_of(",id/org/vestas,Fjernet.,Removed.") == [
        "data/retired.csv:2: [iri] required: the path of the retired IRI under the base IRI, "
        "e.g. id/org/vestas"]


def test_a_malformed_successor_is_refused() -> None:
    errors = errors_of("id/org/x,/doc/org/vestas,Flyttet.,Moved.")
    assert len(errors) == 1 and errors[0].startswith("data/retired.csv:2: [successor] not a path")


@pytest.mark.parametrize(("row", "field"), [
    ("id/org/x,,,Removed.", "reason_da"),
    ("id/org/x,,Fjernet.,", "reason_en"),
    ("id/org/x,,  ,Removed.", "reason_da"),
])
def test_a_missing_reason_is_refused(row: str, field: str) -> None:
    assert errors_of(row) == [f"data/retired.csv:2: [{field}] required: say in one sentence "
                              "why the IRI was retired"]


def test_a_row_with_too_few_columns_is_refused() -> None:
    assert errors_of("id/org/x,,Fjernet.") == ["data/retired.csv:2: expected 4 columns"]


def test_an_iri_retired_twice_is_refused_at_the_second_row() -> None:
    assert errors_of("id/org/x,,Fjernet.,Removed.", "id/org/y,,Fjernet.,Removed.",
                     "id/org/x,id/org/vestas,Flyttet.,Moved.") == [
        "data/retired.csv:4: [iri] id/org/x is retired twice (first at line 2)"]


def test_an_iri_that_is_still_a_resource_is_refused() -> None:
    assert errors_of("id/org/vestas,,Fjernet.,Removed.") == [
        "data/retired.csv:2: [iri] id/org/vestas is still a resource of this build; retire "
        "only what the data no longer describes"]


def test_an_iri_whose_fragments_are_still_subjects_is_refused() -> None:
    """The build's subjects are given without #fragments: id/annotation/x#target keeps x."""
    assert errors_of("id/annotation/x,,Fjernet.,Removed.", subjects={"id/annotation/x"})


def test_an_unknown_successor_is_refused() -> None:
    assert errors_of("id/org/x,id/org/nowhere,Flyttet.,Moved.") == [
        "data/retired.csv:2: [successor] id/org/nowhere is neither a resource of this build "
        "nor retired in this file"]


def test_a_cycle_of_successors_is_refused_on_every_row_of_it() -> None:
    assert errors_of("id/org/a,id/org/b,Flyttet.,Moved.",
                     "id/org/b,id/org/a,Flyttet.,Moved.") == [
        "data/retired.csv:2: [successor] a cycle of successors: id/org/a → id/org/b → id/org/a",
        "data/retired.csv:3: [successor] a cycle of successors: id/org/b → id/org/a → id/org/b",
    ]


def test_an_iri_that_names_itself_is_a_cycle() -> None:
    assert errors_of("id/org/a,id/org/a,Flyttet.,Moved.") == [
        "data/retired.csv:2: [successor] a cycle of successors: id/org/a → id/org/a"]


def test_every_problem_is_reported_at_once() -> None:
    errors = errors_of("id/org/vestas,,Fjernet.,Removed.", "bad,,,",
                       "id/org/x,id/org/nowhere,Flyttet.,Moved.")
    assert [e.split(" ", 1)[0] for e in errors] == [
        "data/retired.csv:3:", "data/retired.csv:3:", "data/retired.csv:3:",
        "data/retired.csv:2:", "data/retired.csv:4:"]


# ---------------------------------------------------------------- tombstones as data


def test_tombstones_reuse_owl_dcterms_and_skos() -> None:
    uris = Uris(BASE)
    meta, prov = tombstone_triples([
        Tombstone(2, "id/relation/old", "id/relation/new", {"da": "Ny type.", "en": "New type."}),
        Tombstone(3, "id/figure/gone", None, {"da": "Fjernet.", "en": "Removed."}),
    ], uris)
    old, gone = URIRef(BASE + "id/relation/old"), URIRef(BASE + "id/figure/gone")
    assert set(meta) == {
        (old, OWL.deprecated, Literal(True, datatype=XSD.boolean)),
        (old, DCTERMS.isReplacedBy, URIRef(BASE + "id/relation/new")),
        (old, SKOS.changeNote, Literal("Ny type.", lang="da")),
        (old, SKOS.changeNote, Literal("New type.", lang="en")),
        (gone, OWL.deprecated, Literal(True, datatype=XSD.boolean)),
        (gone, SKOS.changeNote, Literal("Fjernet.", lang="da")),
        (gone, SKOS.changeNote, Literal("Removed.", lang="en")),
    }
    assert set(prov) == {(old, uris.vl.curatedAt, Literal("data/retired.csv:2")),
                         (gone, uris.vl.curatedAt, Literal("data/retired.csv:3"))}
    assert not any(p == RDF.type for _, p, _ in meta)  # a tombstone describes nothing


def test_tombstones_go_into_the_metadata_graph(tmp_path: Path) -> None:
    uris = Uris(BASE)
    ds = Dataset()
    activity = URIRef(BASE + "id/activity/build-x")
    ds.graph(uris.graph("data")).add((URIRef(BASE + "id/org/vestas"), RDF.type, OWL.Thing))
    ds.graph(uris.graph("provenance")).add((activity, RDF.type, PROV.Activity))
    (tmp_path / "retired.csv").write_text(csv_text(
        "id/org/old,id/org/vestas,Flyttet.,Moved."), encoding="utf-8")
    stones = add_tombstones(ds, tmp_path, uris)
    assert [t.iri for t in stones] == ["id/org/old"]
    old = URIRef(BASE + "id/org/old")
    assert (old, DCTERMS.isReplacedBy, URIRef(BASE + "id/org/vestas")) in ds.graph(
        uris.graph("metadata"))
    assert (old, OWL.deprecated, None) not in ds.graph(uris.graph("data"))
    used = [str(o) for o in ds.graph(uris.graph("provenance")).objects(activity, PROV.used)]
    assert len(used) == 1 and used[0].startswith("data/retired.csv sha256:")


def test_a_bad_file_raises_every_problem(tmp_path: Path) -> None:
    (tmp_path / "retired.csv").write_text(csv_text("id/org/a,,,", "id/org/b,id/org/c,x,y"),
                                          encoding="utf-8")
    with pytest.raises(AnnotationErrors) as caught:
        add_tombstones(Dataset(), tmp_path, Uris(BASE))
    assert [(e.line, e.field) for e in caught.value.errors] == [
        (2, "reason_da"), (2, "reason_en"), (3, "successor")]


def test_no_file_means_no_tombstones(tmp_path: Path) -> None:
    assert add_tombstones(Dataset(), tmp_path, Uris(BASE)) == []


# ---------------------------------------------------------------- through the pipeline


def test_check_refuses_retiring_a_live_iri_of_the_real_build(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    (data / "retired.csv").write_text(csv_text(
        "id/org/vestas,,Fjernet.,Removed.",
        "id/org/gammel,id/org/ingen-steder,Flyttet.,Moved."), encoding="utf-8")
    with pytest.raises(AnnotationErrors) as caught:
        check_annotations(project_settings(data_dir=data))
    assert [str(e) for e in caught.value.errors] == [
        "data/retired.csv:2: [iri] id/org/vestas is still a resource of this build; retire "
        "only what the data no longer describes",
        "data/retired.csv:3: [successor] id/org/ingen-steder is neither a resource of this "
        "build nor retired in this file"]
    assert all(isinstance(e, AnnotationError) for e in caught.value.errors)


def test_check_accepts_a_good_row_of_the_real_build(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    (data / "retired.csv").write_text(csv_text(
        "id/org/gammel-vestas,id/org/vestas,Flyttet.,Moved."), encoding="utf-8")
    assert check_annotations(project_settings(data_dir=data)).startswith("ok: ")


def test_the_real_build_has_one_tombstone_per_row(store: ox.Store) -> None:
    """Every row of the committed file, and nothing else, is a tombstone in the metadata graph
    of the real build (none while the file holds only its header)."""
    rows, errors = parse_retired((ROOT / "data" / "retired.csv").read_text("utf-8"))
    assert errors == []
    found = {str(r["s"].value)[len(BASE):] for r in store.query(
        f"SELECT ?s WHERE {{ GRAPH <{BASE}graph/metadata> {{ ?s <{OWL.deprecated}> true }} "
        f"FILTER(STRSTARTS(STR(?s), '{BASE}id/')) }}")}  # type: ignore[union-attr]
    assert found == {row.iri for row in rows}


def test_tombstones_keep_the_dumps_deterministic_and_are_no_entities(tmp_path: Path) -> None:
    """Two preparations with a retired row serialise byte for byte alike; the tombstone is in
    the metadata graph of the dump and is not counted as a thing under /id/ (VoID)."""
    from publish.build.annotations import load_annotations
    from publish.build.dumps import serialise
    from publish.build.pipeline import prepare

    data = copy_data(tmp_path)
    # the baseline has no tombstones at all, so the difference is the one row below (the real
    # data/retired.csv has had rows since #15, which made this comparison count them all)
    (data / "retired.csv").write_text(csv_text(), encoding="utf-8")
    plain = prepare(project_settings(data_dir=data), load_annotations)
    with (data / "retired.csv").open("a", encoding="utf-8") as fh:  # one row more
        fh.write("id/figure/gammelt-tal,,Tallet er fjernet.,The figure was removed.\n")
    settings = project_settings(data_dir=data)
    one, two = (prepare(settings, load_annotations) for _ in range(2))
    assert serialise(one.dataset) == serialise(two.dataset)
    assert one.counts["entities"] == plain.counts["entities"]
    assert one.counts["triples"] == plain.counts["triples"] + 4  # 3 metadata, 1 provenance
    store = ox.Store()
    store.load(serialise(one.dataset)["vestlod.trig"], ox.RdfFormat.TRIG)
    assert store.query(
        f"ASK {{ GRAPH <{BASE}graph/metadata> {{ <{BASE}id/figure/gammelt-tal> "
        f"<{OWL.deprecated}> true }} }}")
