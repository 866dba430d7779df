"""One download per business area: the area's part of the data graph (`vestlod-{slug}.ttl`).

The area datasets of the catalog had only the SPARQL endpoint, so a portal could not offer a
file to download (the EU portal's MQA scores that, and people expect it). The part is defined
by the data, not curated:

* the area's concept (`{base}id/area/{slug}`) and every resource of `graph/data` that has it as
  `vl:businessArea` (strength positions, challenges, focus areas, figures …): the *core*;
* every resource a core resource links to, or that links to a core resource (actors, the
  annex's segments, a figure's observations), one hop each way;

with every triple of `graph/data` whose subject is one of those. Serialised like the dumps:
sorted triples through Oxigraph, so two builds give the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Dataset, URIRef
from rdflib.term import Node

from publish.build.catalog import AREA_FILE
from publish.uris import Uris


def _part(triples: list[tuple[Node, Node, Node]], area: URIRef, business_area: URIRef,
          ) -> list[tuple[Node, Node, Node]]:
    core: set[Node] = {area} | {s for s, p, o in triples if p == business_area and o == area}
    near = set(core)
    for s, _p, o in triples:
        if s in core and isinstance(o, (URIRef, BNode)):
            near.add(o)
        if o in core:
            near.add(s)
    # other areas' concepts stay out (an actor linked to two areas brings only itself)
    return [t for t in triples if t[0] in near]


def area_subsets(dataset: Dataset, base_iri: str, slugs: Iterable[str],
                 prefixes: dict[str, str]) -> dict[str, bytes]:
    """`{AREA_FILE: Turtle}` for each area slug, from the dataset's `graph/data`."""
    u = Uris(base_iri)
    data = dataset.graph(u.graph("data"))
    triples = list(data)
    business_area = u.vl.businessArea
    out: dict[str, bytes] = {}
    for slug in sorted(slugs):
        part = _part(triples, u.id("area", slug), business_area)
        g = Dataset()
        for t in part:
            g.add(t)
        nt = g.serialize(format="nt", encoding="utf-8")
        sorted_triples = sorted(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES),
                                key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        used = {term.value for t in sorted_triples for term in (t.subject, t.predicate, t.object)
                if isinstance(term, ox.NamedNode)}
        bound = {p: ns for p, ns in prefixes.items() if any(i.startswith(ns) for i in used)}
        body = ox.serialize(sorted_triples, format=ox.RdfFormat.TURTLE, prefixes=bound)
        assert body is not None
        out[AREA_FILE.format(slug=slug)] = body
    return out
