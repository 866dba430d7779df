"""The SPARQL 1.1 Service Description of our endpoint, built from the format table and stats.

Built as pyoxigraph triples and serialised by the engine (no rdflib on the request path). The
endpoint IRI is the canonical one from settings, as every RDF body carries canonical IRIs.
"""

from __future__ import annotations

import pyoxigraph as ox

from publish.config import Settings
from publish.formats import Format, of_kind
from publish.query.store import StoreStats, prefixes_for
from publish.server.negotiation import rdf_bytes
from publish.vocab import DCTERMS, RDF, SD, VOID, XSD

RDF_TYPE = ox.NamedNode(str(RDF.type))
XSD_INTEGER = ox.NamedNode(str(XSD.integer))


def _sd(local: str) -> ox.NamedNode:
    return ox.NamedNode(str(SD) + local)


def service_description(settings: Settings, stats: StoreStats, fmt: Format) -> bytes:
    """Describe the endpoint: languages, result formats, features and the default dataset."""
    service = ox.NamedNode(settings.sparql_endpoint)
    dataset = ox.BlankNode("dataset")
    default_graph = ox.BlankNode("defaultGraph")
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), service),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, _sd("Graph")),
        ox.Triple(default_graph, ox.NamedNode(str(VOID.triples)), ox.Literal(str(stats.quads),
                  datatype=XSD_INTEGER)),
        ox.Triple(dataset, ox.NamedNode(str(DCTERMS.hasVersion)), ox.Literal(stats.version)),
    ]
    if settings.service_allowlist:
        triples.append(ox.Triple(service, _sd("feature"), _sd("BasicFederatedQuery")))
    graph_keys = ("turtle", "ntriples", "jsonld", "rdfxml")
    offered = (*of_kind("results"), *(f for f in of_kind("rdf") if f.key in graph_keys))
    for result_format in offered:
        if result_format.oxigraph is not None:
            triples.append(
                ox.Triple(service, _sd("resultFormat"), ox.NamedNode(result_format.oxigraph.iri))
            )
    for i, graph in enumerate(stats.graphs):
        named = ox.BlankNode(f"named{i}")
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(named, _sd("name"), ox.NamedNode(graph)),
        ]
    prefixes = prefixes_for(settings.base_iri) if fmt.key == "turtle" else None
    return rdf_bytes(triples, fmt, prefixes)
