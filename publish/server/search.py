"""``/search`` and ``/search/suggest``: full-text search for people who do not write SPARQL.

The index is the build's ``search.sqlite`` (`publish.build.search_index`) in the folder of the
version being served, opened read-only and immutable, so a search never describes another
version than ``/sparql`` answers from. Ranking is FTS5's BM25 with a name counting more than a
mention, times a weight per kind of thing (the index carries both), so *Danish Food Cluster*
finds the cluster before the figures and relations that name it.

These are the app's typed JSON endpoints: FastAPI checks the parameters and generates their
part of the OpenAPI document from the models below (`openapi_paths`). ``/search`` answers HTML
to a browser and JSON to ``Accept: application/json`` (or ``format=json``).
"""

from __future__ import annotations

import html
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field
from starlette.responses import JSONResponse, Response

from publish.errors import BadRequest, NotFound
from publish.layout import SEARCH
from publish.server.answers import vestlod_error
from publish.server.conditional import cache_headers, not_modified
from publish.server.files import served_folder
from publish.server.live import Live
from publish.server.negotiation import HTML, request_lang
from publish.server.pages import Pages
from publish.textsearch import MAX_QUERY_CHARS, match_expression, matching_spans

PER_PAGE = 10
MAX_PER_PAGE = 50
SNIPPET_CHARS = 180


class Hit(BaseModel):
    """One result, in rank order."""

    iri: str = Field(description="The resource's IRI (dereferenceable).")
    label: str = Field(description="Its label in the requested language.")
    kind: str = Field(description="The /id/{kind}/ of the resource: org, area, figure, …")
    snippet: str = Field(description="Where it matched, HTML-escaped, matches in <mark>.")
    score: float = Field(description="Relevance (higher is better; comparable within a query).")


class Results(BaseModel):
    """A page of search results."""

    query: str
    kind: str | None
    page: int
    per_page: int
    total: int = Field(description="Results of the query over all pages.")
    kinds: dict[str, int] = Field(description="Results per kind (for a kind filter).")
    results: list[Hit]


class Suggestion(BaseModel):
    iri: str
    label: str
    kind: str


class Suggestions(BaseModel):
    query: str
    suggestions: list[Suggestion]


@dataclass
class _Index:
    db: sqlite3.Connection
    lock: threading.Lock


_OPEN: dict[Path, _Index] = {}
_OPEN_LOCK = threading.Lock()
#: dataset version → its index: a version names one vestlod.trig, built with one index
_BY_VERSION: dict[str, _Index] = {}


def open_index(folder: Path) -> _Index:
    """The index of one built folder, opened once (folders never change once published)."""
    path = folder / SEARCH
    with _OPEN_LOCK:
        index = _OPEN.get(path)
        if index is None:
            if not path.is_file():  # a build made before search existed, or by another tool
                raise NotFound("the served build has no search index (rebuild with vestlod "
                               "build)")
            db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True,
                                 check_same_thread=False)
            index = _OPEN[path] = _Index(db, threading.Lock())
        return index


async def served_index(request: Request) -> tuple[Live, _Index]:
    """The index of the version being served; the folder is looked up once per version (a
    thread hop and a read of SHA256SUMS, most of a search's cost if done per request)."""
    live = request.app.state.serving.live()
    index = _BY_VERSION.get(live.version)
    if index is None:
        live, folder = await served_folder(request)
        index = _BY_VERSION[live.version] = open_index(folder)
    return live, index


RANKED = """
SELECT doc.iri, doc.kind, doc.label_da, doc.label_en, doc.names, doc.text_da, doc.text_en,
       bm25(fts, 8.0, 1.0) * COALESCE(kind_weight.weight, 1.0)
         * CASE WHEN lower(doc.label_da) = :exact OR lower(doc.label_en) = :exact
                THEN 3.0 ELSE 1.0 END AS rank
FROM fts JOIN doc ON doc.rowid = fts.rowid
LEFT JOIN kind_weight ON kind_weight.kind = doc.kind
WHERE fts MATCH :match AND (:kind IS NULL OR doc.kind = :kind)
ORDER BY rank, doc.iri
LIMIT :limit OFFSET :offset
"""

KINDS = """
SELECT doc.kind, COUNT(*) FROM fts JOIN doc ON doc.rowid = fts.rowid
WHERE fts MATCH :match GROUP BY doc.kind ORDER BY doc.kind
"""


def snippet(texts: list[str], query: str) -> str:
    """The first text with a match, cut around it, HTML-escaped, matches in ``<mark>``."""
    for text in texts:
        text = " ".join(text.split())
        spans = matching_spans(text, query)
        if not spans:
            continue
        start = max(0, spans[0][0] - SNIPPET_CHARS // 3)
        if start:
            start = text.rfind(" ", 0, start) + 1
        end = min(len(text), start + SNIPPET_CHARS)
        if end < len(text):
            end = max(text.rfind(" ", start, end), spans[0][1])
        out, pos = [], start
        for s, e in spans:
            if s < start or e > end or s < pos:
                continue
            out.append(html.escape(text[pos:s]))
            out.append(f"<mark>{html.escape(text[s:e])}</mark>")
            pos = e
        out.append(html.escape(text[pos:end]))
        return ("… " if start else "") + "".join(out) + (" …" if end < len(text) else "")
    return html.escape(" ".join(texts[0].split())[:SNIPPET_CHARS]) if texts else ""


def run_search(index: _Index, q: str, kind: str | None, page: int, per_page: int,
               lang: str) -> Results:
    match = match_expression(q)
    if match is None:
        return Results(query=q, kind=kind, page=page, per_page=per_page, total=0, kinds={},
                       results=[])
    params = {"match": match, "kind": kind, "limit": per_page, "offset": (page - 1) * per_page,
              "exact": " ".join(q.lower().split())}
    with index.lock:
        rows = index.db.execute(RANKED, params).fetchall()
        kinds = dict(index.db.execute(KINDS, {"match": match}).fetchall())
    hits = []
    for iri, kind_, label_da, label_en, names, text_da, text_en, rank in rows:
        label = (label_da if lang == "da" else label_en) or label_da or label_en
        texts = [label, *names.split("\n"), *((text_da, text_en) if lang == "da"
                                              else (text_en, text_da))]
        hits.append(Hit(iri=iri, label=label, kind=kind_, snippet=snippet(
            [t for t in texts if t], q), score=round(-rank, 4)))
    total = kinds.get(kind, 0) if kind else sum(kinds.values())
    return Results(query=q, kind=kind, page=page, per_page=per_page, total=total, kinds=kinds,
                   results=hits)


def wants_json(request: Request, fmt: str | None) -> bool:
    if fmt is not None:
        if fmt not in ("json", "html"):
            raise BadRequest("format must be json or html")
        return fmt == "json"
    accept = request.headers.get("accept") or ""
    return "application/json" in accept and "text/html" not in accept


router = APIRouter()

Q = Annotated[str, Query(max_length=MAX_QUERY_CHARS,
                         description="What to look for, in Danish or English.")]
KIND = Annotated[str | None, Query(pattern=r"^[a-z]+(-[a-z]+)*$", max_length=40,
                                   description="Only results of this kind (e.g. org, area).")]


@router.get("/search", response_model=Results, operation_id="search",
            summary="Full-text search over labels, names, descriptions and the annex's words",
            responses={200: {"content": {"text/html": {}}}, 400: {"description": "Bad input"},
                       404: {"description": "The served build has no search index"}})
async def search(
    request: Request,
    q: Q = "",
    kind: KIND = None,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = PER_PAGE,
    format: Annotated[str | None, Query(description="json or html (else by Accept)")] = None,
    lang: Annotated[str | None, Query(pattern="^(da|en)$")] = None,
) -> Response:
    as_json = wants_json(request, format)
    if as_json and not q.strip():
        raise BadRequest("q is required: what to search for")
    ui_lang = request_lang(request)
    if q.strip():
        live, index = await served_index(request)
        result = run_search(index, q, kind, page, per_page, ui_lang)
    else:  # the search page itself: needs no index
        live = request.app.state.serving.live()
        result = Results(query="", kind=kind, page=1, per_page=per_page, total=0, kinds={},
                         results=[])
    vary = "Accept, Accept-Language"
    headers = cache_headers(etag=f'"{live.version[:32]}-{"j" if as_json else ui_lang}"',
                            vary=vary)
    headers["Vestlod-Dataset-Version"] = live.version
    unchanged = not_modified(request.headers, headers)
    if unchanged is not None:
        return unchanged
    if as_json:
        return JSONResponse(result.model_dump(), headers=headers)
    pages: Pages = request.app.state.pages
    body = pages.search(ui_lang, "/search", result.model_dump())
    return Response(body, media_type=HTML.content_type, headers=headers)


SUGGEST = """
SELECT doc.iri, doc.kind, doc.label_da, doc.label_en,
       bm25(fts, 8.0, 1.0) * COALESCE(kind_weight.weight, 1.0) AS rank
FROM fts JOIN doc ON doc.rowid = fts.rowid
LEFT JOIN kind_weight ON kind_weight.kind = doc.kind
WHERE fts MATCH :match AND doc.kind NOT IN ('sentence', 'relation')
ORDER BY rank, doc.iri LIMIT :limit
"""


@router.get("/search/suggest", response_model=Suggestions, operation_id="suggest",
            summary="Completion: resources whose names start with or contain what was typed",
            responses={400: {"description": "Bad input"},
                       404: {"description": "The served build has no search index"}})
async def suggest(
    request: Request,
    q: Q = "",
    limit: Annotated[int, Query(ge=1, le=20)] = 8,
    lang: Annotated[str | None, Query(pattern="^(da|en)$")] = None,
) -> Response:
    live = request.app.state.serving.live()
    match = match_expression(q, prefix_last=True)
    ui_lang = request_lang(request)
    found: list[Suggestion] = []
    if match is not None:
        live, index = await served_index(request)
        with index.lock:
            rows = index.db.execute(SUGGEST, {"match": match, "limit": limit}).fetchall()
        found = [Suggestion(iri=iri, kind=kind, label=(da if ui_lang == "da" else en) or da)
                 for iri, kind, da, en, _rank in rows]
    headers = cache_headers(etag=f'"{live.version[:32]}-s{ui_lang}"', vary="Accept-Language")
    unchanged = not_modified(request.headers, headers)
    if unchanged is not None:
        return unchanged
    return JSONResponse(Suggestions(query=q, suggestions=found).model_dump(), headers=headers)


async def invalid_parameters(request: Request, exc: Exception) -> Response:
    """FastAPI's 422 becomes our 400 with one line per bad parameter, like every other route."""
    assert isinstance(exc, RequestValidationError)
    lines = [f"{'.'.join(str(p) for p in err['loc'][1:])}: {err['msg']}"
             for err in exc.errors()]
    return await vestlod_error(request, BadRequest("; ".join(lines) or "bad parameters"))


def openapi_paths() -> dict[str, Any]:
    """The OpenAPI paths and schemas FastAPI generates for these routes."""
    doc = get_openapi(title="vestlod", version="1", routes=router.routes)
    return {"paths": doc.get("paths", {}), "schemas": doc.get("components", {}).get("schemas",
                                                                                   {})}
