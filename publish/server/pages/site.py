"""`Pages`: renders every HTML page of one app, choosing the view of a resource from a table.

One Jinja2 environment per app (autoescape on for every template, so a label holding
``<script>`` renders as text). A resource page starts from the common context (`resource.common`)
and its view adds what its kind shows; the view is chosen by `page_kind` from `VIEWS`, as
Datasette chooses a view per kind of page. Every page links its RDF forms with
``<link rel="alternate">`` and carries a schema.org JSON-LD block.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape

from publish.formats import Format
from publish.server.describe import CNT, QB, Description
from publish.server.pages import actor, area, document, figure, home, ontology, resource
from publish.server.pages.chart import is_calendar_year
from publish.server.pages.i18n import TEXT, format_number
from publish.server.pages.jsonld import script_safe
from publish.server.pages.links import Link, Linker

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

Builder = Callable[[Linker, Description, str, str, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class View:
    """A kind of resource page: its template and what it adds to the common context."""

    template: str
    build: Builder


VIEWS: dict[str, View] = {
    "area": View(area.TEMPLATE, area.build),
    "actor": View(actor.TEMPLATE, actor.build),
    "figure": View(figure.TEMPLATE, figure.build),
    "document": View(document.TEMPLATE, document.build),
    "resource": View(resource.TEMPLATE, resource.build),
}


def page_kind(links: Linker, desc: Description, s: str, kind: str) -> str:
    """The key into `VIEWS`: by the path's kind where it decides, else by the resource's type
    (actors and figures live under several path kinds)."""
    if kind == "area":
        return "area"
    types = desc.types(s)
    if links.vl + "Actor" in types:
        return "actor"
    if QB + "Observation" in types:
        return "figure"
    if kind == "document" and desc.first(s, CNT + "chars"):
        return "document"
    return "resource"


class Pages(Linker):
    """Renders every HTML page of one app; holds its own Jinja environment."""

    def __init__(self, base_iri: str, sparql_endpoint: str) -> None:
        super().__init__(base_iri)
        self.sparql_endpoint = sparql_endpoint
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(["html", "xml"], default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def _context(self, lang: str, title: str, path: str,
                 alternates: Sequence[tuple[Format, str]], **more: Any) -> dict[str, Any]:
        other = "en" if lang == "da" else "da"
        return {
            "lang": lang, "t": TEXT[lang], "title": title, "path": path,
            "switch_href": f"{path}?lang={other}", "other_lang": other,
            "alternates": alternates, "sparql_endpoint": self.sparql_endpoint, **more,
        }

    def _render(self, template: str, context: dict[str, Any]) -> str:
        return self.env.get_template(template).render(context)

    def resource(self, desc: Description, kind: str, lang: str, path: str,
                 alternates: Sequence[tuple[Format, str]]) -> str:
        s = desc.subject
        page = resource.common(self, desc, s, kind, lang)
        view = VIEWS[page_kind(self, desc, s, kind)]
        page.update(view.build(self, desc, s, lang, page))
        title = desc.label(s, lang) or s
        return self._render(view.template, self._context(lang, title, path, alternates, **page))

    def ontology_page(self, desc: Description, lang: str, path: str,
                      alternates: Sequence[tuple[Format, str]]) -> str:
        title, page = ontology.build(self, desc, lang)
        return self._render(ontology.TEMPLATE,
                            self._context(lang, title, path, alternates, **page))

    def home(self, desc: Description, lang: str, path: str, quads: int,
             examples: Sequence[tuple[str, str]], origin: str) -> str:
        """``origin`` is the server the reader is on (scheme, host, port): the page's endpoint
        and curl example name it, so they work before the base IRI resolves anywhere."""
        title, page = home.build(self, desc, lang)
        return self._render(home.TEMPLATE, self._context(
            lang, title, path, (), quads=quads, examples=examples, origin=origin, **page))

    def not_found(self, lang: str, path: str) -> str:
        return self._render("not_found.html", self._context(
            lang, TEXT[lang]["not_found"], path, (), missing=path,
            jsonld=script_safe({"@context": "https://schema.org", "@type": "WebPage",
                                "name": "404"})))

    def search(self, lang: str, path: str, result: dict[str, Any]) -> str:
        """The search page: the box, kind filters with counts, ranked results, paging.

        ``result`` is the JSON answer of the same request (one model for both forms)."""
        title = TEXT[lang]["search_results"] if result["query"] else TEXT[lang]["search"]
        page, per_page, total = result["page"], result["per_page"], result["total"]
        base = {"q": result["query"], "lang": lang}
        if result["kind"]:
            base["kind"] = result["kind"]

        def href(**changes: Any) -> str:
            params = {**base, **changes}
            return path + "?" + urlencode({k: v for k, v in params.items() if v})

        other = "en" if lang == "da" else "da"
        hits = [{**hit, "href": self.href(hit["iri"], lang)} for hit in result["results"]]
        result = {**result, "results": hits}
        return self._render("search.html", self._context(
            lang, title, path, (), result=result, switch_href=href(lang=other),
            kind_links=[(k, n, href(kind=k, page=None)) for k, n in result["kinds"].items()],
            all_href=href(kind=None, page=None),
            prev_href=href(page=page - 1) if page > 1 else None,
            next_href=href(page=page + 1) if page * per_page < total else None,
            jsonld=script_safe({"@context": "https://schema.org", "@type": "SearchResultsPage",
                                "name": title})))

    def gone(self, lang: str, path: str, iri: str, reason: str,
             alternates: Sequence[tuple[Format, str]]) -> str:
        """The 410 page of a retired IRI: that it is gone, and why (from its tombstone)."""
        return self._render("gone.html", self._context(
            lang, TEXT[lang]["gone"], path, alternates, iri=iri, reason=reason,
            jsonld=script_safe({"@context": "https://schema.org", "@type": "WebPage",
                                "name": "410", "about": iri})))

    def dumps(self, lang: str, path: str, files: Sequence[dict[str, Any]],
              tables: Sequence[dict[str, Any]] = (), metadata: str = "") -> str:
        """Every published file; first the CSV tables for readers who want a spreadsheet, each
        with its title and description in the page's language (from the CSVW metadata)."""
        shown = [{"name": t["name"], "size": t["size"],
                  "title": t["title"].get(lang) or t["name"],
                  "description": t["description"].get(lang, "")} for t in tables]
        return self._render("dumps.html", self._context(
            lang, TEXT[lang]["dumps"], path, (), files=files, tables=shown, metadata=metadata,
            jsonld=script_safe({"@context": "https://schema.org", "@type": "DataDownload",
                                "name": "vestlod"})))

    # ---- index pages, the network, the accessibility statement (publish.server.browse) ---

    def _cells(self, value: Any, lang: str, grouping: bool = True) -> list[Link]:
        """A table cell as links: a term (anything with ``iri`` and ``label``), a number in
        the reader's notation, text, or a list of these."""
        if value is None:
            return []
        if isinstance(value, list):
            return [link for v in value for link in self._cells(v, lang, grouping)]
        if hasattr(value, "iri"):
            href = self.href(value.iri, lang)
            return [Link(value.label(lang), href,
                         external=bool(href and not href.startswith("/")))]
        if isinstance(value, Decimal):
            return [Link(format_number(value, lang, grouping=grouping), None)]
        if hasattr(value, "text") and hasattr(value, "lang"):  # a literal in a language
            return [Link(value.text, None, value.lang if value.lang != lang else None)]
        return [Link(str(value), None)]

    def browse(self, table: Any, lang: str, path: str, stem: str, query: str) -> str:
        """One index (`publish.server.browse.Table`) as a page: facets, table, downloads."""
        t = TEXT[lang]
        title = t.get(table.title_key, stem)
        params = [(k, v) for k, v in parse_qsl(query) if k != "lang"]
        keep = urlencode(params)
        columns = []
        for key, heading in table.columns:
            column: dict[str, Any] = {"key": key, "heading": t.get(heading, heading),
                                      "numeric": key in table.numeric}
            if table.sort:
                current = table.sort == key
                order = "desc" if current and table.order == "asc" else "asc"
                others = [(k, v) for k, v in params if k not in ("sort", "order")]
                column["sort_href"] = "?" + urlencode([*others, ("sort", key),
                                                       ("order", order), ("lang", lang)])
                column["aria_sort"] = ("ascending" if table.order == "asc" else
                                       "descending") if current else None
            columns.append(column)

        def grouping(row: dict[str, Any]) -> bool:
            """Calendar years read 2014, not 2.014 (a figure whose unit is the year)."""
            return not any(hasattr(v, "iri") and is_calendar_year(v.iri) for v in row.values())

        rows = [[(c["numeric"], self._cells(row.get(c["key"]), lang, grouping(row)))
                 for c in columns] for row in table.rows]
        facets = [{**f, "heading": t.get(f["key"], f["key"]),
                   "values": [{**v, "label": v["term"].label(lang)} for v in f["values"]]}
                  for f in table.facets]
        other = "en" if lang == "da" else "da"
        return self._render("browse.html", self._context(
            lang, title, path, (), table=table, columns=columns, rows=rows, facets=facets,
            stem=stem,
            switch_href=path + "?" + urlencode([*params, ("lang", other)]),
            csv_href=f"{path}.csv" + (f"?{keep}" if keep else ""),
            json_href=f"{path}.json" + (f"?{keep}" if keep else ""),
            jsonld=script_safe({"@context": "https://schema.org", "@type": "CollectionPage",
                                "name": title})))

    def network(self, lang: str, path: str, data: dict[str, Any], graph_json: str,
                have_lib: bool) -> str:
        t = TEXT[lang]
        rows = [{k: self._cells(v, lang)[0] for k, v in r.items()} for r in data["rows"]]
        chosen = {"area": data["area"], "relation": data["relation"]}
        other = "en" if lang == "da" else "da"
        params = urlencode([(k, v) for k, v in chosen.items() if v] + [("lang", other)])
        return self._render("network.html", self._context(
            lang, t["network"], path, (), rows=rows, total=data["total"],
            areas=[(a.iri, a.label(lang)) for a in data["areas"]],
            relation_types=[(r.iri, r.label(lang)) for r in data["relation_types"]],
            legend=[(t.label(lang), c) for t, c in data["legend"]],
            chosen=chosen, graph_json=graph_json, have_lib=have_lib,
            switch_href=f"{path}?{params}",
            jsonld=script_safe({"@context": "https://schema.org", "@type": "WebPage",
                                "name": t["network"]})))

    def accessibility(self, lang: str, path: str) -> str:
        t = TEXT[lang]
        return self._render("accessibility.html", self._context(
            lang, t["accessibility"], path, (),
            jsonld=script_safe({"@context": "https://schema.org", "@type": "WebPage",
                                "name": t["accessibility"]})))
