"""The SPARQL behind the indexes of the dataset: read by the server's browse pages and by the
build's CSV tables, so ``/browse/actors`` and ``dumps/vestlod-actors.csv`` cannot disagree about
what an actor, a figure, a strength position or a relation is.

The queries are written against the vocabulary, not against today's data (see
`publish.server.browse`), and run over the union of the named graphs: the server through the
live dataset's worker pool (`publish.server.lookup.select`), the build over an in-memory
Oxigraph store of the dataset it is about to publish (`select_rows`). Both read the answer the
same way: ``{variable: lexical value}`` per row, unbound variables absent.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from publish import vocab

if TYPE_CHECKING:  # the server imports this module without loading a store
    import pyoxigraph as ox

PROLOGUE = "".join(
    f"PREFIX {name}: <{iri}>\n"
    for name, iri in vocab.prefixes((
        "rdf", "rdfs", "skos", "schema", "dcterms", "oa", "qb", "org",
        "sdmx-measure", "sdmx-attribute", "sdmx-dimension",
    )).items()
)

#: a label in one language of ``?x`` into ``?x_da``/``?x_en``/``?x_any`` (SAMPLEd by the caller)
def _labels(var: str) -> str:
    return (
        f"OPTIONAL {{ ?{var} skos:prefLabel|rdfs:label ?{var}_da "
        f"FILTER(langMatches(lang(?{var}_da), \"da\")) }}\n"
        f"OPTIONAL {{ ?{var} skos:prefLabel|rdfs:label ?{var}_en "
        f"FILTER(langMatches(lang(?{var}_en), \"en\")) }}\n"
        f"OPTIONAL {{ ?{var} skos:prefLabel|rdfs:label|skos:notation ?{var}_any }}\n"
    )


def _sampled(var: str) -> str:
    return (f"(SAMPLE(?{var}_da) AS ?{var}_da) (SAMPLE(?{var}_en) AS ?{var}_en) "
            f"(SAMPLE(?{var}_any) AS ?{var}_any)")


def actors_query(vl: str) -> str:
    return PROLOGUE + f"""
SELECT ?actor {_sampled("actor")} WHERE {{
  ?actor a <{vl}Actor> .
  {_labels("actor")}
}} GROUP BY ?actor"""


def facets_query(vl: str) -> str:
    """(actor, facet, value): kinds of actor from ``dcterms:type``; business areas whose
    sections of the annex name the actor; regions (anything with a ``skos:notation``, such as a
    NUTS code) the actor is located or contained in."""
    return PROLOGUE + f"""
SELECT ?actor ?facet ?value {_sampled("value")} WHERE {{
  ?actor a <{vl}Actor> .
  {{ ?actor dcterms:type ?value . BIND("type" AS ?facet) }}
  UNION {{ ?ann oa:hasBody ?actor ; oa:hasTarget/dcterms:isPartOf* ?section .
           ?value schema:subjectOf ?section ; a <{vl}BusinessArea> . BIND("area" AS ?facet) }}
  UNION {{ ?actor (schema:location|schema:containedInPlace|dcterms:spatial)+ ?value .
           ?value skos:notation ?code . FILTER(isIRI(?value)) BIND("region" AS ?facet) }}
  {_labels("value")}
}} GROUP BY ?actor ?facet ?value"""


def figure_columns_query() -> str:
    """The components of every Data Cube structure, in their order: the columns of figures."""
    return PROLOGUE + """
SELECT ?p (MIN(?order) AS ?o) (SAMPLE(?kind) AS ?k) (SAMPLE(?p_da) AS ?p_da)
       (SAMPLE(?p_en) AS ?p_en) WHERE {
  ?dsd a qb:DataStructureDefinition ; qb:component ?c .
  ?c ?kind ?p . FILTER(?kind IN (qb:dimension, qb:measure, qb:attribute))
  OPTIONAL { ?c qb:order ?order }
  OPTIONAL { ?p rdfs:label ?p_da FILTER(langMatches(lang(?p_da), "da")) }
  OPTIONAL { ?p rdfs:label ?p_en FILTER(langMatches(lang(?p_en), "en")) }
} GROUP BY ?p"""


#: shown next to the structure's components when a figure has them (bounds, the wording)
FIGURE_EXTRAS = ("schema:minValue", "schema:maxValue", "<{vl}lowerBound>", "<{vl}upperBound>",
                 "<{vl}expression>")


def figures_query(vl: str) -> str:
    extras = " ".join(e.format(vl=vl) for e in FIGURE_EXTRAS)
    return PROLOGUE + f"""
SELECT ?figure ?p ?o (SAMPLE(lang(?o)) AS ?o_lang) (SAMPLE(datatype(?o)) AS ?o_type)
       {_sampled("o")} WHERE {{
  ?figure a qb:Observation ; ?p ?o .
  {{ ?dsd qb:component/(qb:dimension|qb:measure|qb:attribute) ?p }}
  UNION {{ VALUES ?p {{ skos:prefLabel {extras} }} }}
  {_labels("o")}
}} GROUP BY ?figure ?p ?o"""


def concepts_query(cls: str) -> str:
    """Every instance of ``cls`` with its labels, business area and a note, if any."""
    return PROLOGUE + f"""
SELECT ?item ?area {_sampled("item")} {_sampled("area")}
       (SAMPLE(?note_da) AS ?note_da) (SAMPLE(?note_en) AS ?note_en) WHERE {{
  ?item a <{cls}> .
  OPTIONAL {{ ?item <{cls.rsplit("#", 1)[0]}#businessArea> ?area . {_labels("area")} }}
  OPTIONAL {{ ?item skos:definition|skos:scopeNote|dcterms:description ?note_da
             FILTER(langMatches(lang(?note_da), "da")) }}
  OPTIONAL {{ ?item skos:definition|skos:scopeNote|dcterms:description ?note_en
             FILTER(langMatches(lang(?note_en), "en")) }}
  {_labels("item")}
}} GROUP BY ?item ?area"""


def relations_query(vl: str) -> str:
    """Every statement between two actors whose property a relation type names (``?p``)."""
    return PROLOGUE + f"""
SELECT ?source ?target ?type ?p {_sampled("type")} WHERE {{
  ?type a <{vl}RelationType> ; <{vl}property> ?p .
  ?source ?p ?target .
  ?source a <{vl}Actor> . ?target a <{vl}Actor> .
  {_labels("type")}
}} GROUP BY ?source ?target ?type ?p"""


def rows_of_results_json(body: bytes | str) -> list[dict[str, str]]:
    """``{var: value}`` rows of a SPARQL 1.1 JSON result, as both readers want them."""
    data = json.loads(body)
    return [{k: v["value"] for k, v in row.items()} for row in data["results"]["bindings"]]


def select_rows(store: ox.Store, query: str) -> list[dict[str, str]]:
    """A SELECT over the union of the store's graphs, read like the server reads its answers."""
    import pyoxigraph

    result = store.query(query, use_default_graph_as_union=True)
    assert isinstance(result, pyoxigraph.QuerySolutions)
    body = result.serialize(format=pyoxigraph.QueryResultsFormat.JSON)
    assert body is not None
    return rows_of_results_json(body)
