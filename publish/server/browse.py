"""Index pages for people who do not write SPARQL: every actor, figure, strength position,
challenge and focus area as a list or table, each also as CSV and JSON, and the actors'
relations as a network (issue #17, items 2 and 4).

Everything is read from the served store with SELECTs through the live dataset's worker pool
(`publish.server.lookup.select`, cached per dataset version), never from build code. The
queries are written against the vocabulary, not against today's data: kinds of actor are the
``dcterms:type`` concepts with their labels, figure columns are the components of the Data
Cube structure (a new dimension appears as a new column), relation types are the
``vl:RelationType`` concepts and the property each names, and every value is OPTIONAL.

* ``/browse/{index}`` (``actors``, ``figures``, ``strength-positions``, ``challenges``,
  ``focus-areas``, ``relations``) answers HTML, CSV or JSON: a suffix (``.csv``, ``.json``)
  beats ``Accept``. Actors are faceted by type, business area and region (``?type=``,
  ``?area=``, ``?region=``, IRIs; counts per value given the other filters); figures sort by
  any column (``?sort=``, ``?order=``) on the server, so the table sorts without JavaScript.
* ``/network``: the relations between actors as an interactive graph (cytoscape.js from our
  own origin) over a plain list of the same relations, filterable by business area and
  relation type (``?area=``, ``?relation=``), the filter applied on the server.
* ``/accessibility``: the accessibility statement (tilgængelighedserklæring).
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from publish.errors import BadRequest, NotAcceptable, NotFound
from publish.formats import compact
from publish.indexes import (
    FIGURE_EXTRAS,
    actors_query,
    concepts_query,
    facets_query,
    figure_columns_query,
    figures_query,
    relations_query,
)
from publish.server import lookup
from publish.server.conditional import cache_headers, make_etag, not_modified
from publish.server.describe import SKOS
from publish.server.live import Live, Serving
from publish.server.negotiation import HTML, request_lang
from publish.server.pages import Pages
from publish.server.pages.i18n import PREDICATE_NAMES

# ---- a term and its labels ----------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    iri: str
    da: str = ""
    en: str = ""
    any: str = ""

    @classmethod
    def of(cls, row: dict[str, str], var: str) -> Term:
        return cls(row[var], row.get(var + "_da", ""), row.get(var + "_en", ""),
                   row.get(var + "_any", ""))

    def label(self, lang: str) -> str:
        first, second = (self.da, self.en) if lang == "da" else (self.en, self.da)
        return first or self.any or second or self.iri.rstrip("/").rsplit("/", 1)[-1]

    def as_json(self, pages: Pages) -> dict[str, Any]:
        return {"iri": self.iri, "label": {"da": self.label("da"), "en": self.label("en")},
                "page": pages.href(self.iri)}


@dataclass(frozen=True)
class Text:
    """A literal in a known language (a page marks it with ``lang`` when it is not the
    page's own)."""

    text: str
    lang: str

    def __str__(self) -> str:
        return self.text


def _sort_terms(terms: Iterable[Term], lang: str) -> list[Term]:
    return sorted(terms, key=lambda t: (t.label(lang).lower(), t.iri))


# ---- the indexes --------------------------------------------------------------------------


@dataclass
class Table:
    """One index: a title, columns, rows of cells; the same for HTML, CSV and JSON."""

    title_key: str
    columns: list[tuple[str, str]]  # (key, heading)
    rows: list[dict[str, Any]]  # key → Term | list[Term] | str | Decimal | None
    facets: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    sort: str | None = None
    order: str = "asc"
    numeric: set[str] = field(default_factory=set)


def _cell_text(value: Any, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Term):
        return value.label(lang)
    if isinstance(value, list):
        return "; ".join(_cell_text(v, lang) for v in value)
    return str(value)


def _cell_json(value: Any, pages: Pages) -> Any:
    if isinstance(value, Term):
        return value.as_json(pages)
    if isinstance(value, list):
        return [_cell_json(v, pages) for v in value]
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral() else int(value)
    if isinstance(value, Text):
        return value.text
    return value


class Browse:
    """Builds the indexes of one request from the live store."""

    def __init__(self, request: Request) -> None:
        self.serving: Serving = request.app.state.serving
        self.live: Live = self.serving.live()
        self.pages: Pages = request.app.state.pages
        self.vl = self.pages.vl
        self.lang = request_lang(request)
        self.params = request.query_params

    async def select(self, key: str, query: str) -> list[dict[str, str]]:
        return await lookup.select(self.serving, self.live, "browse\x00" + key, query)

    def _param(self, name: str) -> str | None:
        value = self.params.get(name) or None
        if value is not None and (len(value) > 500 or not value.startswith(("http://",
                                                                              "https://"))):
            raise BadRequest(f"{name} must be the IRI of a value shown on the page")
        return value

    # -- actors, faceted

    async def actors(self) -> Table:
        lang = self.lang
        actors = {r["actor"]: Term.of(r, "actor")
                  for r in await self.select("actors", actors_query(self.vl))}
        facet_names = ("type", "area", "region")
        of: dict[str, dict[str, set[str]]] = {a: {f: set() for f in facet_names}
                                              for a in actors}
        terms: dict[str, Term] = {}
        for r in await self.select("facets", facets_query(self.vl)):
            if r["actor"] in of:
                of[r["actor"]][r["facet"]].add(r["value"])
                terms[r["value"]] = Term.of(r, "value")
        facets, keep = self.faceted(of, terms, facet_names)
        rows: list[dict[str, Any]] = [
            {"iri": actors[a],
             **{f: _sort_terms((terms[v] for v in of[a][f]), lang) for f in facet_names}}
            for a in actors if a in keep]
        rows.sort(key=lambda r: str(r["iri"].label(lang)).lower())
        return Table("actors", [("iri", "name"), ("type", "type"), ("area", "area"),
                                ("region", "region")], rows, facets, len(actors))

    def faceted(self, of: dict[str, dict[str, set[str]]], terms: dict[str, Term],
                names: tuple[str, ...]) -> tuple[list[dict[str, Any]], set[str]]:
        """Facets over ``of`` (item → facet → values) as chosen by the request's parameters:
        each facet's values with how many items have them given the *other* choices (so
        every value stays a choice), and the items that match every choice."""
        lang = self.lang
        chosen = {f: self._param(f) for f in names}

        def matches(item: str, skip: str | None = None) -> bool:
            return all(v is None or v in of[item][f] for f, v in chosen.items() if f != skip)

        facets = []
        for f in names:
            counts: dict[str, int] = defaultdict(int)
            for item in of:
                if matches(item, skip=f):
                    for v in of[item][f]:
                        counts[v] += 1
            values: list[dict[str, Any]] = [
                {"term": terms[v], "count": n, "selected": chosen[f] == v,
                 "href": self._facet_href(chosen, f, None if chosen[f] == v else v)}
                for v, n in counts.items()]
            values.sort(key=lambda x: (-x["count"], x["term"].label(lang).lower()))
            facets.append({"key": f, "values": values, "chosen": chosen[f],
                           "clear": self._facet_href(chosen, f, None)})
        return facets, {item for item in of if matches(item)}

    def _facet_href(self, chosen: dict[str, str | None], facet: str, value: str | None) -> str:
        """The link of one facet value; keeps the other choices, the sort and the language."""
        params = {**chosen, facet: value, "sort": self.params.get("sort"),
                  "order": self.params.get("order"), "lang": self.lang}
        return "?" + "&".join(f"{k}={_quote(v)}" for k, v in params.items() if v)

    # -- figures, sortable

    async def figures(self) -> Table:
        lang = self.lang
        components = await self.select("figure-columns", figure_columns_query())

        def order_of(r: dict[str, str]) -> tuple[int, int, str]:
            kinds = {"dimension": 0, "measure": 1, "attribute": 2}
            kind = kinds.get(r.get("k", "").rsplit("#", 1)[-1], 3)
            return (int(r["o"]) if r.get("o", "").isdigit() else 99, kind, r["p"])

        props = [r["p"] for r in sorted(components, key=order_of)]
        names = {r["p"]: (r.get("p_da", ""), r.get("p_en", "")) for r in components}
        extras = [e.format(vl=self.vl) for e in FIGURE_EXTRAS]
        extras = [self.pages.prefixes.get(e.split(":")[0], "") + e.split(":")[1]
                  if not e.startswith("<") else e.strip("<>") for e in extras]
        cells: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        numeric: set[str] = set()
        label_of: dict[str, Term] = {}
        seen_props: set[str] = set()
        for r in await self.select("figures", figures_query(self.vl)):
            fig, p, o = r["figure"], r["p"], r["o"]
            if p == SKOS + "prefLabel":
                old = label_of.get(fig, Term(fig))
                tag = r.get("o_lang", "")
                label_of[fig] = Term(fig, o if tag.startswith("da") else old.da,
                                     o if tag.startswith("en") else old.en, old.any or o)
                continue
            seen_props.add(p)
            value: Any
            if "o_type" not in r:  # an IRI: datatype() is unbound
                value = Term.of(r, "o")
            elif r["o_type"].endswith(("#decimal", "#integer", "#double", "#float", "#int",
                                       "#long", "#nonNegativeInteger")):
                try:
                    value = Decimal(o)
                    numeric.add(p)
                except InvalidOperation:
                    value = o
            else:
                value = o
            cells[fig][p].append(value)
        columns = [p for p in [*props, *extras] if p in seen_props]
        headings = [("figure", "figure")]
        for p in columns:
            da, en = names.get(p, ("", ""))
            fallback = PREDICATE_NAMES.get(p)
            heading = (da if lang == "da" else en) or (fallback[0 if lang == "da" else 1]
                                                       if fallback else "") or \
                compact(p, self.pages.prefixes).strip("<>")
            headings.append((p, heading[:1].upper() + heading[1:]))
        rows = []
        for fig, by_p in cells.items():
            row: dict[str, Any] = {"figure": label_of.get(fig, Term(fig))}
            for p in columns:
                values = by_p.get(p, [])
                row[p] = values[0] if len(values) == 1 else (values or None)
            rows.append(row)
        # facets: the business area and what is measured (dimensions of the vocabulary)
        dims = {"area": self.vl + "businessArea", "indicator": self.vl + "indicator"}
        of: dict[str, dict[str, set[str]]] = {}
        terms: dict[str, Term] = {}
        for fig, by_p in cells.items():
            of[fig] = {f: set() for f in dims}
            for f, prop in dims.items():
                for t in by_p.get(prop, []):
                    if isinstance(t, Term):
                        of[fig][f].add(t.iri)
                        terms[t.iri] = t
        facets, keep = self.faceted(of, terms, tuple(dims))
        total = len(rows)
        rows = [r for r in rows if r["figure"].iri in keep]
        sort = self.params.get("sort") or "figure"
        if sort not in dict(headings):
            raise BadRequest("sort must be one of the table's columns")
        order = self.params.get("order") or "asc"
        if order not in ("asc", "desc"):
            raise BadRequest("order must be asc or desc")

        def key(row: dict[str, Any]) -> tuple[int, Any]:
            v = row.get(sort)
            if v is None or v == []:
                return (1, "")  # empty cells last, whichever the order
            if isinstance(v, Decimal):
                return (0, v)
            return (0, _cell_text(v, lang).lower())

        filled = [r for r in rows if key(r)[0] == 0]
        empty = [r for r in rows if key(r)[0] == 1]
        filled.sort(key=lambda r: _cell_text(r["figure"], lang).lower())
        filled.sort(key=key, reverse=order == "desc")
        return Table("figures", headings, filled + empty, facets, total=total, sort=sort,
                     order=order, numeric=numeric)

    # -- strength positions, challenges, focus areas: by business area

    async def concepts(self, name: str, cls: str) -> Table:
        rows: list[dict[str, Any]] = []
        for r in await self.select(name, concepts_query(self.vl + cls)):
            rows.append({"iri": Term.of(r, "item"),
                         "area": Term.of(r, "area") if r.get("area") else None,
                         "note": self._note(r)})
        of = {r["iri"].iri: {"area": {r["area"].iri} if r["area"] else set()} for r in rows}
        terms = {r["area"].iri: r["area"] for r in rows if r["area"]}
        facets, keep = self.faceted(of, terms, ("area",))
        total = len(rows)
        rows = [r for r in rows if r["iri"].iri in keep]
        rows.sort(key=lambda r: (r["area"].label(self.lang).lower() if r["area"] else "~",
                                 r["iri"].label(self.lang).lower()))
        return Table(name, [("iri", "name"), ("area", "area"), ("note", "note")], rows,
                     facets, total=total)

    def _note(self, row: dict[str, str]) -> Text | None:
        for lang in (self.lang, "da", "en"):
            if row.get("note_" + lang):
                return Text(row["note_" + lang], lang)
        return None

    # -- relations

    async def relation_rows(self) -> tuple[list[dict[str, Term]], dict[str, Term]]:
        actors = {r["actor"]: Term.of(r, "actor")
                  for r in await self.select("actors", actors_query(self.vl))}
        rows: list[dict[str, Term]] = []
        for r in await self.select("relations", relations_query(self.vl)):
            rows.append({"source": actors.get(r["source"], Term(r["source"])),
                         "relation": Term.of(r, "type"),
                         "target": actors.get(r["target"], Term(r["target"]))})
        rows.sort(key=lambda r: (r["source"].label(self.lang).lower(),
                                 r["relation"].label(self.lang).lower(),
                                 r["target"].label(self.lang).lower()))
        return rows, actors

    async def relations(self) -> Table:
        rows, _ = await self.relation_rows()
        return Table("relations", [("source", "source"), ("relation", "relation"),
                                   ("target", "target")], [dict(r) for r in rows],
                     total=len(rows))

    async def network(self) -> dict[str, Any]:
        """The graph of relations, filtered by business area and relation type."""
        lang = self.lang
        rows, _ = await self.relation_rows()
        areas_of: dict[str, set[str]] = defaultdict(set)
        area_terms: dict[str, Term] = {}
        for fr in await self.select("facets", facets_query(self.vl)):
            if fr["facet"] == "area":
                areas_of[fr["actor"]].add(fr["value"])
                area_terms[fr["value"]] = Term.of(fr, "value")
        types = {r["relation"].iri: r["relation"] for r in rows}
        area, relation = self._param("area"), self._param("relation")
        shown = [r for r in rows
                 if (relation is None or r["relation"].iri == relation)
                 and (area is None or area in areas_of[r["source"].iri]
                      or area in areas_of[r["target"].iri])]
        nodes: dict[str, Term] = {}
        for r in shown:
            nodes[r["source"].iri] = r["source"]
            nodes[r["target"].iri] = r["target"]
        degree: dict[str, int] = defaultdict(int)
        for r in shown:
            degree[r["source"].iri] += 1
            degree[r["target"].iri] += 1
        # one colour per relation type shown (the legend and the edges agree)
        shown_types = _sort_terms({r["relation"].iri: r["relation"] for r in shown}.values(),
                                  lang)
        colour = {t.iri: PALETTE[i % len(PALETTE)] for i, t in enumerate(shown_types)}
        graph = {
            "nodes": [{"id": iri, "label": t.label(lang), "href": self.pages.href(iri, lang),
                       "degree": degree[iri],
                       "areas": sorted(areas_of.get(iri, ()))} for iri, t in nodes.items()],
            "edges": [{"source": r["source"].iri, "target": r["target"].iri,
                       "type": r["relation"].iri, "label": r["relation"].label(lang),
                       "colour": colour[r["relation"].iri]} for r in shown],
        }
        return {
            "rows": shown, "graph": graph, "total": len(rows),
            "areas": _sort_terms(area_terms.values(), lang), "area": area,
            "relation_types": _sort_terms(types.values(), lang), "relation": relation,
            "legend": [(t, colour[t.iri]) for t in shown_types],
        }


#: edge colours, distinguishable with the common colour-vision deficiencies (Okabe-Ito, then
#: Tol's muted); colour is never the only cue: the legend names them, the table lists them
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
           "#882255", "#117733", "#332288", "#999933", "#AA4499")


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


#: index name → how to build it; the order is the home page's
INDEXES: dict[str, Callable[[Browse], Any]] = {
    "actors": lambda b: b.actors(),
    "figures": lambda b: b.figures(),
    "strength-positions": lambda b: b.concepts("strength_positions", "StrengthPosition"),
    "challenges": lambda b: b.concepts("challenges", "Challenge"),
    "focus-areas": lambda b: b.concepts("focus_areas", "FocusArea"),
    "relations": lambda b: b.relations(),
}

CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json"


def _choose(request: Request, suffix: str) -> str:
    """``html``, ``csv`` or ``json``: a suffix beats ``Accept``; nothing acceptable is a 406."""
    if suffix:
        return suffix
    accept = (request.headers.get("accept") or "*/*").lower()
    offered = {"text/html": "html", "application/xhtml+xml": "html", "text/csv": "csv",
               "application/json": "json", "text/*": "html", "*/*": "html",
               "application/*": "json"}
    best: tuple[float, int, int] | None = None
    chosen = ""
    for order, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        kind = offered.get(pieces[0])
        q = 1.0
        for p in pieces[1:]:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        # higher q first, an exact type before a wildcard, then the client's order
        rank = (q, 0 if "*" in pieces[0] else 1, -order)
        if kind and q > 0 and (best is None or rank > best):
            best, chosen = rank, kind
    if best is None:
        raise NotAcceptable("offered here: text/html, text/csv (.csv), application/json (.json)")
    return chosen


def to_csv(table: Table, lang: str) -> bytes:
    """One row per item: the label in the page's language, then each column's labels and IRIs."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_csv_header(table))
    for row in table.rows:
        line: list[str] = []
        for key, _ in table.columns:
            value = row.get(key)
            line.append(_cell_text(value, lang))
            if _has_iri_column(table, key):
                line.append(_iris(value))
        writer.writerow(line)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel reads UTF-8 with it


def _has_iri_column(table: Table, key: str) -> bool:
    """A column of terms gets a second column with their IRIs."""
    def terms(v: Any) -> bool:
        return isinstance(v, Term) or (isinstance(v, list) and any(terms(x) for x in v))
    return key in ("iri", "figure") or any(terms(row.get(key)) for row in table.rows)


def _csv_header(table: Table) -> list[str]:
    header = []
    for key, _heading in table.columns:
        name = "label" if key in ("iri", "figure") else \
            key.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        header.append(name)
        if _has_iri_column(table, key):
            header.append("iri" if key in ("iri", "figure") else name + " (IRI)")
    return header


def _iris(value: Any) -> str:
    if isinstance(value, Term):
        return value.iri
    if isinstance(value, list):
        return " ".join(_iris(v) for v in value if isinstance(v, Term))
    return ""


def to_json(table: Table, pages: Pages, lang: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "index": table.title_key, "total": table.total, "count": len(table.rows),
        "columns": [{"key": k, "label": h} for k, h in table.columns],
        "items": [{k: _cell_json(row.get(k), pages) for k, _ in table.columns}
                  for row in table.rows],
    }
    if table.facets:
        data["facets"] = {f["key"]: [{**v["term"].as_json(pages), "count": v["count"],
                                      "selected": v["selected"]} for v in f["values"]]
                          for f in table.facets}
    if table.sort:
        data["sort"], data["order"] = table.sort, table.order
    return data


async def browse_index(request: Request) -> Response:
    name = request.path_params["index"]
    stem, dot, suffix = name.partition(".")
    if stem not in INDEXES or (dot and suffix not in ("csv", "json")):
        raise NotFound(f"no index {name!r}")
    fmt = _choose(request, suffix)
    browse = Browse(request)
    live = browse.live
    variant = f"{stem}\x00{fmt}\x00{browse.lang}\x00{request.url.query}"
    headers = cache_headers(etag=make_etag(live.version, variant),
                            vary="Accept, Accept-Language")
    headers["Vestlod-Dataset-Version"] = live.version
    headers["Link"] = ", ".join(
        f'</browse/{stem}{s}>; rel="alternate"; type="{t}"'
        for s, t in (("", "text/html"), (".csv", "text/csv"), (".json", JSON_TYPE)))
    unchanged = not_modified(request.headers, headers)
    if unchanged is not None:
        return unchanged
    table: Table = await INDEXES[stem](browse)
    if fmt == "csv":
        headers["Content-Disposition"] = f'inline; filename="vestlod-{stem}.csv"'
        return Response(to_csv(table, browse.lang), media_type=CSV_TYPE, headers=headers)
    if fmt == "json":
        return JSONResponse(to_json(table, browse.pages, browse.lang), headers=headers)
    html = browse.pages.browse(table, browse.lang, f"/browse/{stem}", stem, request.url.query)
    return Response(html, media_type=HTML.content_type, headers=headers)


async def network(request: Request) -> Response:
    browse = Browse(request)
    live = browse.live
    headers = cache_headers(
        etag=make_etag(live.version, "network", browse.lang, request.url.query),
        vary="Accept-Language")
    headers["Vestlod-Dataset-Version"] = live.version
    unchanged = not_modified(request.headers, headers)
    if unchanged is not None:
        return unchanged
    data = await browse.network()
    graph_json = json.dumps(data.pop("graph"), ensure_ascii=False).replace("<", "\\u003c")
    html = browse.pages.network(browse.lang, "/network", data, graph_json,
                                request.app.state.have_network_lib)
    return Response(html, media_type=HTML.content_type, headers=headers)


async def accessibility(request: Request) -> Response:
    lang = request_lang(request)
    pages: Pages = request.app.state.pages
    headers = cache_headers(vary="Accept-Language")
    return Response(pages.accessibility(lang, "/accessibility"), media_type=HTML.content_type,
                    headers=headers)


routes = [
    Route("/browse/{index}", browse_index, methods=["GET"]),
    Route("/network", network, methods=["GET"]),
    Route("/accessibility", accessibility, methods=["GET"]),
]
