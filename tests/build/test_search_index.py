"""The search index is part of the build: deterministic, published with the dumps, complete."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import rdflib

from publish.build.pipeline import BuildResult
from publish.build.search_index import NOT_SEARCHED, kind_of, search_index
from publish.layout import SEARCH, read_sums

BASE = "https://w3id.org/vestlod/"


def triples(path: Path) -> list[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]]:
    ds = rdflib.Dataset()
    ds.parse(path, format="trig")
    return [(s, p, o) for s, p, o, _g in ds.quads()]


def test_the_index_is_published_with_the_dumps_and_listed_in_sha256sums(
        built: BuildResult) -> None:
    assert SEARCH in read_sums(built.out)
    db = sqlite3.connect(f"file:{built.out / SEARCH}?mode=ro", uri=True)
    assert db.execute("SELECT value FROM meta WHERE key = 'base_iri'").fetchone() == (BASE,)


def test_the_same_data_gives_the_same_bytes_whatever_the_order(built: BuildResult) -> None:
    data = triples(built.out / "vestlod.trig")
    assert search_index(data, BASE) == search_index(list(reversed(data)), BASE)


def test_every_labelled_thing_people_look_for_is_in_it_and_no_machinery(
        built: BuildResult) -> None:
    data = triples(built.out / "vestlod.trig")
    labelled = {str(s) for s, p, _o in data
                if p == rdflib.SKOS.prefLabel and kind_of(str(s), BASE) is not None}
    db = sqlite3.connect(f"file:{built.out / SEARCH}?mode=ro", uri=True)
    indexed = {iri for (iri,) in db.execute("SELECT iri FROM doc")}
    assert labelled <= indexed
    kinds = {kind for (kind,) in db.execute("SELECT DISTINCT kind FROM doc")}
    assert not kinds & NOT_SEARCHED
    assert {"org", "area", "strength-position", "figure", "sentence"} <= kinds


def test_quotes_make_a_thing_findable_by_the_annex_words_around_it(built: BuildResult) -> None:
    db = sqlite3.connect(f"file:{built.out / SEARCH}?mode=ro", uri=True)
    (body,) = db.execute("SELECT text_da FROM doc WHERE iri = ?",
                         (BASE + "id/org/vindmoelleindustrien",)).fetchone()
    assert "brancheforeningen Vindmølleindustrien" in body
