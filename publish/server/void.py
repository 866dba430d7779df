"""What crawlers and harvesters read first: VoID (``/.well-known/void``), the sitemap, robots.txt.

VoID describes the dataset being served: its counts are the endpoint's own answers and its
``void:dataDump`` links are the dumps of that same version (the files of `Live.files`), never
those of a newer build the server has not swapped in yet.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import anyio.to_thread
import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from publish.layout import gzip_twin, read_sums
from publish.query.store import prefixes_for
from publish.server import lookup
from publish.server.cache import Cached
from publish.server.conditional import cache_headers, make_etag, not_modified
from publish.server.live import Live, Serving
from publish.server.negotiation import RDF_FORMATS, choose, rdf_bytes
from publish.vocab import OWL, RDF, VOID, XSD

#: dumps that are RDF serialisations of the whole dataset (named in VoID as void:dataDump)
DUMP_PREFIX = "vestlod."
RDF_TYPE = ox.NamedNode(str(RDF.type))
XSD_INTEGER = ox.NamedNode(str(XSD.integer))

COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CLASSES_QUERY = ("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } "
                 "GROUP BY ?c ORDER BY ?c")
PROPERTIES_QUERY = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"
#: all IRI subjects; filtered to /id/ in Python (no text of any kind is formatted into SPARQL)
#: every described IRI; a retired one (a tombstone: owl:deprecated) answers 301/410, no page
SUBJECTS_ALL = ("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) "
                f"FILTER NOT EXISTS {{ ?s <{OWL}deprecated> true }} }}")


async def void(request: Request) -> Response:
    """VoID of the served dataset; ``void:triples`` is the endpoint's own ``COUNT(*)``."""
    serving: Serving = request.app.state.serving
    settings = serving.settings
    fmt = choose(request, None, RDF_FORMATS)
    live = serving.live()
    headers = cache_headers(etag=make_etag(live.version, "void", fmt.key), vary="Accept")
    unchanged = not_modified(request.headers, headers)
    if unchanged is not None:
        return unchanged
    key = f"void\x00{live.version}\x00{fmt.key}"
    cached = serving.cache.get(key)
    if cached is None:
        triples = await void_triples(serving, live)
        prefixes = prefixes_for(settings.base_iri) if fmt.key == "turtle" else None
        cached = Cached(rdf_bytes(triples, fmt, prefixes), fmt.content_type, ())
        if serving.current is live:
            serving.cache.put(key, cached)
    return Response(cached.body, media_type=cached.content_type, headers=headers)


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def dump_names(live: Live, dist: Path) -> list[str]:
    """The whole-dataset dumps of the version ``live`` serves (none if its files are gone).

    Not the gzip twins (``vestlod.ttl.gz``): each is an encoding of a dump listed here, which
    its address already serves gzipped to whoever accepts it."""
    folder = live.files(dist)
    if folder is None:
        return []
    sums = read_sums(folder)
    twins = {gzip_twin(name) for name in sums}
    return [name for name in sums
            if name.startswith(DUMP_PREFIX) and name not in twins and (folder / name).is_file()]


async def void_triples(serving: Serving, live: Live) -> list[ox.Triple]:
    settings = serving.settings
    base = settings.base_iri
    dataset_iri = base + "id/dataset/vestlod"
    dataset = ox.NamedNode(dataset_iri)
    own = await lookup.construct(serving, live, "void-dataset",
                                 "CONSTRUCT { ?this ?p ?o } WHERE { ?this ?p ?o }",
                                 (("this", dataset_iri),))
    triples = [q.triple for q in ox.parse(own, ox.RdfFormat.N_TRIPLES)]

    def v(local: str) -> ox.NamedNode:
        return ox.NamedNode(str(VOID) + local)

    def count(n: str | int) -> ox.Literal:
        return ox.Literal(str(n), datatype=XSD_INTEGER)

    total = (await lookup.select(serving, live, "count", COUNT_QUERY))[0]["n"]
    classes = await lookup.select(serving, live, "classes", CLASSES_QUERY)
    properties = await lookup.select(serving, live, "properties", PROPERTIES_QUERY)
    have = {(t.predicate.value, str(t.object)) for t in triples}

    def add(p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        if (p.value, str(o)) not in have:
            triples.append(ox.Triple(dataset, p, o))
            have.add((p.value, str(o)))

    add(RDF_TYPE, v("Dataset"))
    add(v("uriSpace"), ox.Literal(base + "id/"))
    add(v("sparqlEndpoint"), ox.NamedNode(settings.sparql_endpoint))
    add(v("triples"), count(total))
    add(v("classes"), count(len(classes)))
    add(v("properties"), count(len(properties)))
    for name in await anyio.to_thread.run_sync(dump_names, live, Path(settings.dist_dir)):
        add(v("dataDump"), ox.NamedNode(f"{base}dumps/{name}"))
    vocabularies = sorted({_namespace(r["p"]) for r in properties}
                          | {_namespace(r["c"]) for r in classes})
    for ns in vocabularies:
        if ns.startswith("http"):
            add(v("vocabulary"), ox.NamedNode(ns))
    for i, row in enumerate(classes):
        part = ox.NamedNode(f"{base}.well-known/void#class-{i}")
        triples += [ox.Triple(dataset, v("classPartition"), part),
                    ox.Triple(part, v("class"), ox.NamedNode(row["c"])),
                    ox.Triple(part, v("entities"), count(row["n"]))]
    for i, row in enumerate(properties):
        part = ox.NamedNode(f"{base}.well-known/void#property-{i}")
        triples += [ox.Triple(dataset, v("propertyPartition"), part),
                    ox.Triple(part, v("property"), ox.NamedNode(row["p"])),
                    ox.Triple(part, v("triples"), count(row["n"]))]
    return triples


async def sitemap(request: Request) -> Response:
    """Every ``/doc/`` page (canonical addresses) plus the home, annex and ontology pages;
    not the retired IRIs, which have no page any more."""
    serving: Serving = request.app.state.serving
    base = serving.settings.base_iri
    live = serving.live()
    rows = await lookup.select(serving, live, "subjects", SUBJECTS_ALL)
    space = base + "id/"
    urls = [base, base + "def/vestlod", base + "dumps/"]
    urls += sorted(base + "doc/" + r["s"][len(space):] for r in rows
                   if r["s"].startswith(space) and "#" not in r["s"])
    body = ['<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    body += [f"<url><loc>{xml_escape(u)}</loc></url>" for u in urls]
    body.append("</urlset>\n")
    return Response("\n".join(body), media_type="application/xml; charset=utf-8")


async def robots(request: Request) -> Response:
    base = request.app.state.settings.base_iri
    return PlainTextResponse(
        "User-agent: *\nAllow: /\nDisallow: /sparql\n"
        f"Sitemap: {base}sitemap.xml\n")


routes = [
    Route("/.well-known/void", void, methods=["GET"]),
    Route("/sitemap.xml", sitemap, methods=["GET"]),
    Route("/robots.txt", robots, methods=["GET"]),
]
