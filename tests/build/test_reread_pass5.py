"""Re-read pass 5 of #15 (food, health, future industry): what the real build says a thing is
follows the annex's own word for it, and a thing the annex does not present as a problem is no
challenge. Each test names the annex words it rests on (docs/reread-15/pass-5-…)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

BASE = "https://w3id.org/vestlod/"
ORG = "http://www.w3.org/ns/org#"
DCT = "http://purl.org/dc/terms/"


def types_of(store: ox.Store, iri: str) -> set[str]:
    rows = store.query(f"SELECT ?t WHERE {{ <{BASE}{iri}> a ?t }}", use_default_graph_as_union=True)
    return {str(r["t"].value) for r in rows}  # type: ignore[union-attr]


def actor_type(store: ox.Store, iri: str) -> str:
    rows = list(store.query(  # type: ignore[arg-type]
        f"SELECT ?t WHERE {{ <{BASE}{iri}> <{DCT}type> ?t }}", use_default_graph_as_union=True))
    assert len(rows) == 1, rows
    return str(rows[0]["t"].value)[len(BASE + "id/actor-type/"):]  # type: ignore[index]


@pytest.mark.parametrize(("iri", "expected", "words"), [
    ("id/org/mtic", "association", "MTIC er en forening stiftet af"),
    ("id/org/welfare-tech", "cluster", "Welfare Tech er en medlemsbaseret national klynge"),
    ("id/org/danish-food-cluster", "cluster-organisation", "en national klyngeorganisation"),
    ("id/org/biopeople", "network", "i netværkene BioPeople (farma)"),
    # listed without a word of their own: the generic type
    ("id/org/biomed-community", "organisation", "en række netværks- og klyngesamarbejder"),
    ("id/org/seges", "organisation", "fødevarefaglige viden- og udviklingsmiljøer"),
    ("id/org/maersk-mckinney-moeller-instituttet", "organisation",
     "Maersk McKinney Møller Institut for Robotteknologi"),
])
def test_an_actor_type_is_the_annex_word_or_the_generic_type(
        store: ox.Store, iri: str, expected: str, words: str) -> None:
    assert actor_type(store, iri) == expected, words


def test_a_forening_is_a_legal_body_and_a_klynge_a_collaboration(store: ox.Store) -> None:
    assert ORG + "FormalOrganization" in types_of(store, "id/org/mtic")
    welfare = types_of(store, "id/org/welfare-tech")
    assert ORG + "OrganizationalCollaboration" in welfare
    assert ORG + "FormalOrganization" not in welfare


def test_the_followers_are_the_target_of_a_suggested_cooperation_not_a_challenge(
        store: ox.Store) -> None:
    """*Det ville være nærliggende at samarbejde om at sprede viden … til de mange digitale
    begyndervirksomheder, de såkaldte ”followers”*: a focus area, and the old challenge IRI is a
    tombstone pointing to it."""
    old = f"{BASE}id/challenge/mange-digitale-begyndervirksomheder"
    assert types_of(store, "id/challenge/mange-digitale-begyndervirksomheder") == set()
    rows = list(store.query(  # type: ignore[arg-type]
        f"SELECT ?s WHERE {{ <{old}> <{DCT}isReplacedBy> ?s }}", use_default_graph_as_union=True))
    assert [str(r["s"].value) for r in rows] == [  # type: ignore[index]
        f"{BASE}id/focus-area/sprede-viden-til-followers"]


def test_no_part_of_without_the_words_en_del_af(store: ox.Store) -> None:
    """The facilitator function and the fisheries initiative stand in adjacent sentences; the
    annex never says one is part of the other."""
    assert not types_of(
        store, "id/relation/faelles-facilitatorfunktion-part-of-"
               "tvaerregionalt-initiativ-fiskeri-og-akvakultur")
