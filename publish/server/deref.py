"""Dereferenceable URIs: ``/id/…`` → 303 → ``/doc/…`` negotiated; ``/def/vestlod``; the home page.

* ``GET /id/{kind}/{slug}`` answers ``303 See Other`` to ``/doc/{kind}/{slug}`` (404 if the
  store knows nothing about it). The IRI is rebuilt from the validated path under the canonical
  base IRI (`Uris.id`), so on a development origin ``http://127.0.0.1:8000/id/x/y`` stands for
  ``https://w3id.org/vestlod/id/x/y`` and every body carries canonical IRIs.
* ``/doc/{kind}/{slug}[.html|.ttl|.jsonld|.rdf|.nt]`` and ``/def/vestlod[…]``: one description
  (see `publish.server.describe`) rendered as HTML or RDF. A suffix beats ``Accept``; nothing
  acceptable is a 406 listing the alternatives. Every answer has ``Vary``, ``ETag``,
  ``Last-Modified`` and ``Link`` headers to the other forms; ``If-None-Match`` /
  ``If-Modified-Since`` give 304 (`publish.server.conditional`).
* A retired IRI (a tombstone in the store, see `publish.server.retired`) answers ``301`` to
  its successor's ``/id/`` or ``/doc/`` URL, or ``410 Gone`` with the reason, on both routes.
* ``/graph/{name}[…]``: a named graph's IRI, described like a ``/doc`` page (no 303).
* ``/``: the dataset's own page; its title and description are the dataset's, from the store.

Paths are checked against the slug rules and resolved against the store only; a path that is
not ``{kind}/{slug}`` is a 404 before anything is looked up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from publish.errors import NotFound
from publish.formats import Format, by_suffix, negotiate
from publish.query.store import prefixes_for
from publish.server import lookup, retired
from publish.server.cache import Cached
from publish.server.conditional import REDIRECT, cache_headers, make_etag, not_modified
from publish.server.describe import HOME_QUERY, Description
from publish.server.live import Serving
from publish.server.negotiation import (
    DOC_FORMATS,
    HTML,
    RDF_FORMATS,
    choose,
    rdf_bytes,
    request_lang,
)
from publish.server.pages import Pages
from publish.server.ui import EXAMPLES
from publish.uris import KIND, SLUG, Uris

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


# ---- one description, five forms ----------------------------------------------------------


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
    return rdf_bytes(desc.triples, fmt, prefixes)


Renderer = Callable[[Description, str, str], str]


async def negotiated(request: Request, iri: str, kind: str, path: str, suffix: str | None,
                     render_html: Renderer) -> Response:
    """One description, five forms; the shared body of ``/doc/…`` and ``/def/vestlod``."""
    serving: Serving = request.app.state.serving
    settings = serving.settings
    fmt = choose(request, suffix, DOC_FORMATS)
    lang = request_lang(request) if fmt.kind == "page" else ""
    live = serving.live()
    variant = f"{iri}\x00{fmt.key}\x00{lang}"
    headers = cache_headers(
        etag=make_etag(live.version, variant),
        last_modified=live.loaded_at,
        vary="Accept, Accept-Language",
    )
    headers["Link"] = _link_header(path, fmt, settings.base_iri + path.lstrip("/"))
    headers["Vestlod-Dataset-Version"] = live.version
    if suffix is None:
        headers["Content-Location"] = path + fmt.suffix
    render_key = f"render\x00{live.version}\x00{variant}"
    cached = serving.cache.get(render_key)
    if cached is None:
        desc = await lookup.describe(serving, live, iri, kind)
        if not desc.has_subject(iri):
            raise NotFound(f"no resource {iri}")
        if fmt.kind == "page":
            body = render_html(desc, lang, path).encode("utf-8")
        else:
            body = serialise(desc, fmt, settings.base_iri)
        cached = Cached(body, fmt.content_type, ())
        if serving.current is live:
            serving.cache.put(render_key, cached)
    unchanged = not_modified(request.headers, headers)
    if unchanged is not None:
        return unchanged
    return Response(cached.body, headers=headers, media_type=cached.content_type)


# ---- retired IRIs: 301 to the successor, or 410 with the reason ---------------------------


async def retired_answer(request: Request, iri: str, target: DocPath,
                         route: str) -> Response | None:
    """The answer for a retired IRI at ``/{route}/…`` (``id`` or ``doc``), None if it is not.

    Moved: ``301`` to the successor's URL of the same route (``/id/`` → ``/id/``, ``/doc/x.ttl``
    → ``/doc/y.ttl``), query string kept. Gone: ``410`` with a page saying why in the
    negotiated language, or the tombstone's triples for an RDF client. Both are cacheable but
    revalidated (a new build may change them), with the dataset version in the tag.
    """
    stone = await retired.find(request, iri)
    if stone is None:
        return None
    serving: Serving = request.app.state.serving
    settings = serving.settings
    live = serving.live()
    query = f"?{request.url.query}" if request.url.query else ""
    if stone.successor is not None:
        prefix = settings.base_iri + "id/"
        if stone.successor.startswith(prefix):
            rest = stone.successor[len(prefix):]
            suffix = (target.suffix or "") if route == "doc" else ""
            location = f"/{route}/{rest}{suffix}"
        else:  # not one of ours: the IRI itself is where it lives
            location = stone.successor
        location += query
        headers = cache_headers(etag=make_etag(live.version, "moved", iri, location),
                                last_modified=live.loaded_at)
        headers.update({"Location": location, "Vestlod-Dataset-Version": live.version})
        return not_modified(request.headers, headers) or Response(status_code=301,
                                                                  headers=headers)
    fmt = negotiate(request.headers.get("accept"), target.suffix, DOC_FORMATS) or HTML
    lang = request_lang(request) if fmt.kind == "page" else ""
    headers = cache_headers(etag=make_etag(live.version, "gone", iri, fmt.key, lang),
                            last_modified=live.loaded_at, vary="Accept, Accept-Language")
    headers["Link"] = _link_header(target.doc, fmt, None)
    headers["Vestlod-Dataset-Version"] = live.version
    unchanged = not_modified(request.headers, headers)
    if unchanged is not None:
        return unchanged
    if fmt.kind == "page":
        pages: Pages = request.app.state.pages
        body = pages.gone(lang, request.url.path, iri, stone.why(lang),
                          _alternates(target.doc)).encode("utf-8")
    else:
        desc = await lookup.describe(serving, live, iri, target.kind)
        body = serialise(desc, fmt, settings.base_iri)
    return Response(body, status_code=410, headers=headers, media_type=fmt.content_type)


# ---- handlers -----------------------------------------------------------------------------


async def id_redirect(request: Request) -> Response:
    """``/id/{kind}/{slug}`` → 303 to its description (404 if the store has nothing on it);
    a retired IRI answers 301 or 410 instead (`retired_answer`)."""
    target = parse_path(request.path_params["rest"], allow_suffix=False)
    iri = str(_uris(request).id(target.kind, target.slug))
    gone_or_moved = await retired_answer(request, iri, target, "id")
    if gone_or_moved is not None:
        return gone_or_moved
    serving: Serving = request.app.state.serving
    live = serving.live()
    desc = await lookup.describe(serving, live, iri, target.kind)  # cached for the /doc next
    if not desc.has_subject(iri):
        raise NotFound(f"no resource {iri}")
    location = target.doc + (f"?{request.url.query}" if request.url.query else "")
    headers = cache_headers(vary="Accept", policy=REDIRECT)
    headers.update({"Location": location, "Link": f'<{location}>; rel="describedby"'})
    return Response(status_code=303, headers=headers)


async def doc_resource(request: Request) -> Response:
    target = parse_path(request.path_params["rest"], allow_suffix=True)
    iri = str(_uris(request).id(target.kind, target.slug))
    gone_or_moved = await retired_answer(request, iri, target, "doc")
    if gone_or_moved is not None:
        return gone_or_moved
    pages: Pages = request.app.state.pages

    def render(desc: Description, lang: str, path: str) -> str:
        return pages.resource(desc, target.kind, lang, path, _alternates(path))

    return await negotiated(request, iri, target.kind, target.doc, target.suffix, render)


def _stem_and_suffix(name: str) -> tuple[str, str | None]:
    """``vestlod.ttl`` → (``vestlod``, ``.ttl``); NotFound for a suffix we do not offer."""
    stem, dot, ext = name.partition(".")
    if not dot:
        return stem, None
    fmt = by_suffix("." + ext)
    if fmt is None or fmt not in DOC_FORMATS:
        raise NotFound(f"no document {name!r}")
    return stem, fmt.suffix


async def ontology(request: Request) -> Response:
    """``/def/vestlod`` (hash namespace: the document *is* the vocabulary, no 303)."""
    name = request.path_params["name"]
    stem, suffix = _stem_and_suffix(name)
    if stem != "vestlod":
        raise NotFound(f"no vocabulary {name!r}")
    pages: Pages = request.app.state.pages
    iri = request.app.state.settings.base_iri + "def/vestlod"

    def render(desc: Description, lang: str, path: str) -> str:
        return pages.ontology_page(desc, lang, path, _alternates(path))

    return await negotiated(request, iri, "ontology", "/def/vestlod", suffix, render)


async def named_graph(request: Request) -> Response:
    """``/graph/{name}``: a named graph's IRI answers with what the dataset says about the graph
    (its provenance), negotiated like a ``/doc`` page. No 303: a graph is a document."""
    stem, suffix = _stem_and_suffix(request.path_params["name"])
    if not SLUG.match(stem):
        raise NotFound(f"no graph {stem!r}")
    pages: Pages = request.app.state.pages
    iri = request.app.state.settings.base_iri + "graph/" + stem

    def render(desc: Description, lang: str, path: str) -> str:
        return pages.resource(desc, "graph", lang, path, _alternates(path))

    return await negotiated(request, iri, "graph", f"/graph/{stem}", suffix, render)


async def home(request: Request) -> Response:
    """The dataset's page: its title, description and business areas, all from the store."""
    serving: Serving = request.app.state.serving
    settings = serving.settings
    live = serving.live()
    lang = request_lang(request)
    dataset = settings.base_iri + "id/dataset/vestlod"
    body = await lookup.construct(serving, live, "home", HOME_QUERY, (
        ("this", dataset), ("businessArea", settings.base_iri + "def/vestlod#BusinessArea")))
    desc = Description.parse(dataset, body)
    pages: Pages = request.app.state.pages
    origin = str(request.base_url).rstrip("/")
    html = pages.home(desc, lang, "/", live.store.stats.quads, EXAMPLES, origin)
    headers = cache_headers(vary="Accept-Language")
    headers["Link"] = '</.well-known/void>; rel="describedby"; type="text/turtle"'
    return Response(html, media_type=HTML.content_type, headers=headers)


routes = [
    Route("/", home, methods=["GET"]),
    Route("/id/{rest:path}", id_redirect, methods=["GET"]),
    Route("/doc/{rest:path}", doc_resource, methods=["GET"]),
    Route("/def/{name}", ontology, methods=["GET"]),
    Route("/graph/{name}", named_graph, methods=["GET"]),
]
