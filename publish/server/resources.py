"""Dereferenceable URIs: ``/id/…`` → 303 → ``/doc/…`` negotiated, plus the files around them.

* ``GET /id/{kind}/{slug}`` answers ``303 See Other`` to ``/doc/{kind}/{slug}`` (404 if the
  store knows nothing about it). The IRI is rebuilt from the validated path under the canonical
  base IRI (`Uris.id`), so on a development origin ``http://127.0.0.1:8000/id/x/y`` stands for
  ``https://w3id.org/vestlod/id/x/y`` and every body carries canonical IRIs.
* ``/doc/{kind}/{slug}[.html|.ttl|.jsonld|.rdf|.nt]`` and ``/def/vestlod[…]``: one description
  (see `publish.server.describe`) rendered as HTML or RDF. A suffix beats ``Accept``; nothing
  acceptable is a 406 listing the alternatives. Every answer has ``Vary``, ``ETag``,
  ``Last-Modified`` and ``Link`` headers to the other forms; ``If-None-Match`` /
  ``If-Modified-Since`` give 304.
* ``/.well-known/void``, ``/dumps/`` (only names listed in ``SHA256SUMS``, never a path from the
  request), ``/sitemap.xml``, ``/robots.txt`` and the home page ``/``.

Paths are checked against the slug rules and resolved against the store only; a path that is
not ``{kind}/{slug}`` is a 404 before anything is looked up. Every store call goes through the
worker pool; descriptions and rendered bodies are cached per dataset version in the shared
result cache, which a swap clears.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import anyio.to_thread
import pyoxigraph as ox
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from publish.errors import NotAcceptable, NotFound
from publish.formats import Format, by_key, by_suffix, negotiate
from publish.query.store import SUMS_NAME, QueryRequest, prefixes_for
from publish.server.cache import Cached
from publish.server.describe import (
    HOME_QUERY,
    ONTOLOGY_QUERY,
    Description,
    describe_query,
)
from publish.server.live import Live, Serving
from publish.server.pages import Pages, choose_lang
from publish.server.ui import EXAMPLES
from publish.uris import KIND, SLUG, Uris

log = logging.getLogger("vestlod.server")

#: what a /doc page offers, in our order of preference (HTML first: the default for browsers)
DOC_FORMATS: tuple[Format, ...] = tuple(
    by_key(k) for k in ("html", "turtle", "jsonld", "rdfxml", "ntriples")
)
RDF_FORMATS: tuple[Format, ...] = DOC_FORMATS[1:]
#: a description is never cut: the largest (the annex) has ~8 000 triples
INTERNAL_CAP = 1_000_000
VOID = "http://rdfs.org/ns/void#"
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
#: dumps that are RDF serialisations of the whole dataset (named in VoID as void:dataDump)
DUMP_PREFIX = "vestlod."


def make_pages(base_iri: str, sparql_endpoint: str) -> Pages:
    """The page renderer one app keeps on ``app.state.pages``."""
    return Pages(base_iri, sparql_endpoint)


# ---- paths --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocPath:
    """A validated ``{kind}/{slug}`` with an optional format suffix."""

    kind: str
    slug: str
    suffix: str | None

    @property
    def doc(self) -> str:
        return f"/doc/{self.kind}/{self.slug}"


def parse_path(rest: str, allow_suffix: bool) -> DocPath:
    """``org/aalborg-universitet.ttl`` → DocPath; anything else (``..``, extra segments,
    unknown suffixes, upper case, NUL) is `NotFound` before the store is asked."""
    parts = rest.split("/")
    if len(parts) != 2:
        raise NotFound(f"no resource at {rest!r}")
    kind, last = parts
    slug, dot, ext = last.partition(".")
    suffix = None
    if dot:
        fmt = by_suffix("." + ext)
        if not allow_suffix or fmt is None or fmt not in DOC_FORMATS:
            raise NotFound(f"no resource at {rest!r}")
        suffix = fmt.suffix
    if not KIND.match(kind) or not SLUG.match(slug):
        raise NotFound(f"no resource at {rest!r}")
    return DocPath(kind, slug, suffix)


def _uris(request: Request) -> Uris:
    return Uris(request.app.state.settings.base_iri)


def _lang(request: Request) -> str:
    return choose_lang(request.query_params.get("lang"), request.headers.get("accept-language"))


# ---- store access (always through the worker pool, cached per dataset version) ------------


async def _construct(serving: Serving, live: Live, key: str, query: str,
                     substitutions: tuple[tuple[str, str], ...]) -> bytes:
    """N-Triples of a CONSTRUCT, cached by (version, key)."""
    cache_key = f"construct\x00{live.version}\x00{key}"
    cached = serving.cache.get(cache_key)
    if cached is None:
        result = await live.pool.run(QueryRequest(
            query=query, results_format=None, graph_format="ntriples", cap=INTERNAL_CAP,
            substitutions=substitutions))
        if result.truncated:
            log.warning("description of %s cut at %d triples", key, INTERNAL_CAP)
        cached = Cached(result.body, "application/n-triples", ())
        if serving.current is live:
            serving.cache.put(cache_key, cached)
    return cached.body


async def _select(serving: Serving, live: Live, key: str, query: str) -> list[dict[str, str]]:
    """Rows of a SELECT as ``{var: value}``, cached by (version, key)."""
    cache_key = f"select\x00{live.version}\x00{key}"
    cached = serving.cache.get(cache_key)
    if cached is None:
        result = await live.pool.run(QueryRequest(
            query=query, results_format="srj", graph_format=None, cap=INTERNAL_CAP))
        cached = Cached(result.body, "application/sparql-results+json", ())
        if serving.current is live:
            serving.cache.put(cache_key, cached)
    data = json.loads(cached.body)
    return [{k: v["value"] for k, v in row.items()} for row in data["results"]["bindings"]]


async def describe(serving: Serving, live: Live, iri: str, kind: str) -> Description:
    """The description of ``iri`` (validated by the caller); empty if the store has none."""
    base = serving.settings.base_iri
    if kind == "ontology":
        body = await _construct(serving, live, iri, ONTOLOGY_QUERY, (("this", iri),))
    else:
        query = describe_query(kind, base + "def/vestlod#")
        body = await _construct(serving, live, iri, query, (("this", iri),))
    return Description.parse(iri, body)


# ---- negotiation, conditional requests, headers -------------------------------------------


def _http_date(moment: datetime) -> str:
    return format_datetime(moment.replace(microsecond=0), usegmt=True)


def _not_modified(request: Request, etag: str, modified: datetime) -> bool:
    inm = request.headers.get("if-none-match")
    if inm is not None:
        return any(c.strip().removeprefix("W/") in (etag, "*") for c in inm.split(","))
    ims = request.headers.get("if-modified-since")
    if ims:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        return since is not None and modified.replace(microsecond=0) <= since
    return False


def _choose(request: Request, suffix: str | None, offered: tuple[Format, ...]) -> Format:
    fmt = negotiate(request.headers.get("accept"), suffix, offered)
    if fmt is None:
        listed = ", ".join(f"{f.media_type} ({f.suffix})" for f in offered)
        raise NotAcceptable(f"offered here: {listed}")
    return fmt


def _link_header(path: str, chosen: Format | None, canonical: str | None) -> str:
    links = [f'<{path}{f.suffix}>; rel="alternate"; type="{f.media_type}"'
             for f in DOC_FORMATS if f is not chosen]
    if canonical:
        links.append(f'<{canonical}>; rel="canonical"')
    return ", ".join(links)


def _alternates(path: str) -> list[tuple[Format, str]]:
    return [(f, path + f.suffix) for f in RDF_FORMATS]


def serialise(desc: Description, fmt: Format, base_iri: str) -> bytes:
    """RDF forms straight from the engine's serialisers (canonical IRIs, no rdflib here)."""
    prefixes = None
    if fmt.key == "turtle":  # vlid:org\/x is valid Turtle but unreadable: full IRIs for /id/
        prefixes = {k: v for k, v in prefixes_for(base_iri).items() if k not in ("vlid", "vlg")}
    return ox.serialize(desc.triples, format=fmt.oxigraph, prefixes=prefixes) or b""  # type: ignore[arg-type]


Renderer = Callable[[Description, str, str], str]


async def negotiated(request: Request, iri: str, kind: str, path: str, suffix: str | None,
                     render_html: Renderer) -> Response:
    """One description, five forms; the shared body of ``/doc/…`` and ``/def/vestlod``."""
    serving: Serving = request.app.state.serving
    settings = serving.settings
    fmt = _choose(request, suffix, DOC_FORMATS)
    lang = _lang(request) if fmt.kind == "page" else ""
    live = serving.live()
    variant = f"{iri}\x00{fmt.key}\x00{lang}"
    etag = '"' + hashlib.sha256(f"{live.version}\x00{variant}".encode()).hexdigest()[:40] + '"'
    headers = {
        "Vary": "Accept, Accept-Language",
        "ETag": etag,
        "Last-Modified": _http_date(live.loaded_at),
        "Cache-Control": "public, no-cache",
        "Link": _link_header(path, fmt, _canonical_doc(settings.base_iri, path)),
        "Vestlod-Dataset-Version": live.version,
    }
    if suffix is None:
        headers["Content-Location"] = path + fmt.suffix
    render_key = f"render\x00{live.version}\x00{variant}"
    cached = serving.cache.get(render_key)
    if cached is None:
        desc = await describe(serving, live, iri, kind)
        if not desc.has_subject(iri):
            raise NotFound(f"no resource {iri}")
        if fmt.kind == "page":
            body = render_html(desc, lang, path).encode("utf-8")
        else:
            body = serialise(desc, fmt, settings.base_iri)
        cached = Cached(body, fmt.content_type, ())
        if serving.current is live:
            serving.cache.put(render_key, cached)
    if _not_modified(request, etag, live.loaded_at):
        return Response(status_code=304, headers=headers)
    return Response(cached.body, headers=headers, media_type=cached.content_type)


def _canonical_doc(base_iri: str, path: str) -> str:
    return base_iri + path.lstrip("/")


# ---- handlers -----------------------------------------------------------------------------


async def id_redirect(request: Request) -> Response:
    """``/id/{kind}/{slug}`` → 303 to its description (404 if the store has nothing on it)."""
    target = parse_path(request.path_params["rest"], allow_suffix=False)
    iri = str(_uris(request).id(target.kind, target.slug))
    serving: Serving = request.app.state.serving
    live = serving.live()
    desc = await describe(serving, live, iri, target.kind)  # cached for the /doc that follows
    if not desc.has_subject(iri):
        raise NotFound(f"no resource {iri}")
    location = target.doc + (f"?{request.url.query}" if request.url.query else "")
    return Response(status_code=303, headers={
        "Location": location, "Vary": "Accept", "Cache-Control": "public, max-age=3600",
        "Link": f'<{location}>; rel="describedby"'})


async def doc_resource(request: Request) -> Response:
    target = parse_path(request.path_params["rest"], allow_suffix=True)
    iri = str(_uris(request).id(target.kind, target.slug))
    pages: Pages = request.app.state.pages

    def render(desc: Description, lang: str, path: str) -> str:
        return pages.resource(desc, target.kind, lang, path, _alternates(path))

    return await negotiated(request, iri, target.kind, target.doc, target.suffix, render)


async def ontology(request: Request) -> Response:
    """``/def/vestlod`` (hash namespace: the document *is* the vocabulary, no 303)."""
    name = request.path_params["name"]
    stem, dot, ext = name.partition(".")
    suffix = None
    if stem != "vestlod":
        raise NotFound(f"no vocabulary {name!r}")
    if dot:
        fmt = by_suffix("." + ext)
        if fmt is None or fmt not in DOC_FORMATS:
            raise NotFound(f"no vocabulary {name!r}")
        suffix = fmt.suffix
    pages: Pages = request.app.state.pages
    iri = request.app.state.settings.base_iri + "def/vestlod"

    def render(desc: Description, lang: str, path: str) -> str:
        return pages.ontology_page(desc, lang, path, _alternates(path))

    return await negotiated(request, iri, "ontology", "/def/vestlod", suffix, render)


async def home(request: Request) -> Response:
    serving: Serving = request.app.state.serving
    settings = serving.settings
    live = serving.live()
    lang = _lang(request)
    dataset = settings.base_iri + "id/dataset/vestlod"
    body = await _construct(serving, live, "home", HOME_QUERY, (
        ("this", dataset), ("businessArea", settings.base_iri + "def/vestlod#BusinessArea")))
    desc = Description.parse(dataset, body)
    pages: Pages = request.app.state.pages
    html = pages.home(desc, lang, "/", live.store.stats.quads, EXAMPLES)
    return Response(html, media_type=by_key("html").content_type,
                    headers={"Vary": "Accept-Language", "Cache-Control": "public, no-cache",
                             "Link": '</.well-known/void>; rel="describedby"; type="text/turtle"'})


# ---- VoID ---------------------------------------------------------------------------------


async def void(request: Request) -> Response:
    """VoID of the served dataset; ``void:triples`` is the endpoint's own ``COUNT(*)``."""
    serving: Serving = request.app.state.serving
    settings = serving.settings
    fmt = _choose(request, None, RDF_FORMATS)
    live = serving.live()
    key = f"void\x00{live.version}\x00{fmt.key}"
    cached = serving.cache.get(key)
    if cached is None:
        triples = await void_triples(request, serving, live)
        prefixes = prefixes_for(settings.base_iri) if fmt.key == "turtle" else None
        body = ox.serialize(triples, format=fmt.oxigraph, prefixes=prefixes) or b""  # type: ignore[arg-type]
        cached = Cached(body, fmt.content_type, ())
        if serving.current is live:
            serving.cache.put(key, cached)
    return Response(cached.body, media_type=cached.content_type,
                    headers={"Vary": "Accept", "Cache-Control": "public, no-cache"})


COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CLASSES_QUERY = ("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } "
                 "GROUP BY ?c ORDER BY ?c")
PROPERTIES_QUERY = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


async def void_triples(request: Request, serving: Serving, live: Live) -> list[ox.Triple]:
    settings = serving.settings
    base = settings.base_iri
    dataset_iri = base + "id/dataset/vestlod"
    dataset = ox.NamedNode(dataset_iri)
    own = await _construct(serving, live, "void-dataset",
                           "CONSTRUCT { ?this ?p ?o } WHERE { ?this ?p ?o }",
                           (("this", dataset_iri),))
    triples = [q.triple for q in ox.parse(own, ox.RdfFormat.N_TRIPLES)]

    def v(local: str) -> ox.NamedNode:
        return ox.NamedNode(VOID + local)

    def count(n: str | int) -> ox.Literal:
        return ox.Literal(str(n), datatype=XSD_INTEGER)

    total = (await _select(serving, live, "count", COUNT_QUERY))[0]["n"]
    classes = await _select(serving, live, "classes", CLASSES_QUERY)
    properties = await _select(serving, live, "properties", PROPERTIES_QUERY)
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
    add(v("rootResource"), ox.NamedNode(base + "id/document/bilag-styrket-vestdansk-samarbejde"))
    add(v("exampleResource"), ox.NamedNode(base + "id/area/energiteknologi"))
    for name, _size, _digest in await anyio.to_thread.run_sync(read_sums, settings.dist_dir):
        if name.startswith(DUMP_PREFIX):
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


# ---- DCAT catalog ------------------------------------------------------------------------

CATALOG_NAME = "catalog.ttl"


def _read_catalog(dist: Path) -> bytes | None:
    try:
        return (dist / CATALOG_NAME).read_bytes()
    except OSError:
        return None


async def catalog(request: Request) -> Response:
    """The DCAT-AP catalog the build wrote (`dist/catalog.ttl`), in the format a harvester asks.

    Turtle by default; RDF/XML, JSON-LD and N-Triples by `Accept` or suffix-free `format=`
    negotiation, converted by Oxigraph from the file (never from request text).
    """
    serving: Serving = request.app.state.serving
    settings = serving.settings
    fmt = _choose(request, None, RDF_FORMATS)
    data = await anyio.to_thread.run_sync(_read_catalog, Path(settings.dist_dir))
    if data is None:
        raise NotFound("no catalog has been built")
    etag = '"' + hashlib.sha256(data + fmt.key.encode()).hexdigest()[:40] + '"'
    if request.headers.get("if-none-match", "").strip().removeprefix("W/") == etag:
        return Response(status_code=304, headers={"ETag": etag, "Vary": "Accept"})
    if fmt.key == "turtle":
        body = data
    else:
        triples = [ox.Triple(t.subject, t.predicate, t.object)
                   for t in ox.parse(data, format=ox.RdfFormat.TURTLE)]
        body = ox.serialize(triples, format=fmt.oxigraph) or b""  # type: ignore[arg-type]
    return Response(body, media_type=fmt.content_type,
                    headers={"Vary": "Accept", "ETag": etag, "Cache-Control": "public, no-cache",
                             "Link": '</.well-known/void>; rel="describedby"'})


# ---- dumps, sitemap, robots ---------------------------------------------------------------


def read_sums(dist: Path) -> list[tuple[str, int, str]]:
    """(name, size, sha256) of every file ``SHA256SUMS`` lists and that exists as a plain file.

    These names are the only files ever served from dist/: a request can only pick one of
    them, so no request path reaches the file system.
    """
    try:
        text = (dist / SUMS_NAME).read_text(encoding="utf-8")
    except OSError:
        return []
    out = []
    for line in text.splitlines():
        digest, _, name = line.strip().partition(" ")
        name = name.strip().lstrip("*")
        if not name or "/" in name or "\\" in name or name.startswith("."):
            continue
        path = dist / name
        try:
            size = path.stat().st_size if path.is_file() else -1
        except OSError:
            continue
        if size >= 0:
            out.append((name, size, digest.lower()))
    return out


def dump_media_type(name: str) -> str:
    if name.endswith(".gz"):
        return "application/gzip"
    if name == SUMS_NAME:
        return "text/plain; charset=utf-8"
    fmt = by_suffix(Path(name).suffix)
    return fmt.content_type if fmt else "application/octet-stream"


async def dumps_index(request: Request) -> Response:
    settings = request.app.state.settings
    files = await anyio.to_thread.run_sync(read_sums, settings.dist_dir)
    accept = request.headers.get("accept")
    listing = [{"name": n, "size": s, "sha256": d, "media_type": dump_media_type(n),
                "url": f"/dumps/{n}"} for n, s, d in files]
    if accept and "application/json" in accept and "text/html" not in accept:
        return Response(json.dumps(listing, indent=1), media_type="application/json",
                        headers={"Vary": "Accept"})
    pages: Pages = request.app.state.pages
    html = pages.dumps(_lang(request), "/dumps/", listing)
    return Response(html, media_type=by_key("html").content_type,
                    headers={"Vary": "Accept, Accept-Language"})


async def dump_file(request: Request) -> Response:
    settings = request.app.state.settings
    wanted = request.path_params["name"]
    if wanted == SUMS_NAME:
        path = Path(settings.dist_dir) / SUMS_NAME
        if not path.is_file():
            raise NotFound("no dumps have been built")
        return FileResponse(path, media_type=dump_media_type(SUMS_NAME))
    files = {n: (s, d) for n, s, d in await anyio.to_thread.run_sync(read_sums, settings.dist_dir)}
    if wanted not in files:
        raise NotFound(f"no dump named {wanted!r}")
    name = next(n for n in files if n == wanted)  # the listed name, not the request's text
    size, digest = files[name]
    etag = f'"{digest[:40]}"'
    if request.headers.get("if-none-match", "").strip().removeprefix("W/") == etag:
        return Response(status_code=304, headers={"ETag": etag})
    return FileResponse(Path(settings.dist_dir) / name, media_type=dump_media_type(name),
                        filename=name, headers={"ETag": etag, "Digest": f"sha-256={digest}",
                                                "Cache-Control": "public, no-cache"})


async def sitemap(request: Request) -> Response:
    """Every ``/doc/`` page (canonical addresses) plus the home, annex and ontology pages."""
    serving: Serving = request.app.state.serving
    base = serving.settings.base_iri
    live = serving.live()
    rows = await _select(serving, live, "subjects", SUBJECTS_ALL)
    space = base + "id/"
    urls = [base, base + "def/vestlod", base + "dumps/"]
    urls += sorted(base + "doc/" + r["s"][len(space):] for r in rows
                   if r["s"].startswith(space) and "#" not in r["s"])
    body = ['<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    body += [f"<url><loc>{xml_escape(u)}</loc></url>" for u in urls]
    body.append("</urlset>\n")
    return Response("\n".join(body), media_type="application/xml; charset=utf-8")


#: all IRI subjects; filtered to /id/ in Python (no text of any kind is formatted into SPARQL)
SUBJECTS_ALL = "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"


async def robots(request: Request) -> Response:
    base = request.app.state.settings.base_iri
    return PlainTextResponse(
        "User-agent: *\nAllow: /\nDisallow: /sparql\n"
        f"Sitemap: {base}sitemap.xml\n")


# ---- 404, negotiated ----------------------------------------------------------------------


async def not_found(request: Request, exc: Exception) -> Response:
    """The one 404 of the app: an HTML page for people, an empty graph for RDF clients.

    Registered in `create_app` for `NotFound` and for unmatched routes, so a typo anywhere
    gets the same negotiated answer, never a 500.
    """
    if isinstance(exc, HTTPException) and exc.status_code != 404:
        return PlainTextResponse(f"{exc.detail}\n", status_code=exc.status_code)
    suffix = Path(request.url.path).suffix or None
    fmt = negotiate(request.headers.get("accept"), None, DOC_FORMATS)
    if suffix and (by_suffix(suffix) in DOC_FORMATS):
        fmt = by_suffix(suffix)
    headers = {"Vary": "Accept, Accept-Language", "Cache-Control": "no-store"}
    if fmt is not None and fmt.kind == "rdf":
        body = b"# not found\n" if fmt.key == "turtle" else ox.serialize(
            [], format=fmt.oxigraph) or b""  # type: ignore[arg-type]
        return Response(body, status_code=404, media_type=fmt.content_type, headers=headers)
    pages: Pages = request.app.state.pages
    html = pages.not_found(_lang(request), request.url.path)
    return Response(html, status_code=404, media_type=by_key("html").content_type,
                    headers=headers)


routes = [
    Route("/", home, methods=["GET"]),
    Route("/id/{rest:path}", id_redirect, methods=["GET"]),
    Route("/doc/{rest:path}", doc_resource, methods=["GET"]),
    Route("/def/{name}", ontology, methods=["GET"]),
    Route("/.well-known/void", void, methods=["GET"]),
    Route("/catalog", catalog, methods=["GET"]),
    Route("/dumps", dumps_index, methods=["GET"]),
    Route("/dumps/", dumps_index, methods=["GET"]),
    Route("/dumps/{name}", dump_file, methods=["GET"]),
    Route("/sitemap.xml", sitemap, methods=["GET"]),
    Route("/robots.txt", robots, methods=["GET"]),
]
