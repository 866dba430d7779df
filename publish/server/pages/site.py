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
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape

from publish.formats import Format
from publish.server.describe import CNT, QB, Description
from publish.server.pages import actor, area, document, figure, home, ontology, resource
from publish.server.pages.i18n import TEXT
from publish.server.pages.jsonld import script_safe
from publish.server.pages.links import Linker

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

    def dumps(self, lang: str, path: str, files: Sequence[dict[str, Any]]) -> str:
        return self._render("dumps.html", self._context(
            lang, TEXT[lang]["dumps"], path, (), files=files,
            jsonld=script_safe({"@context": "https://schema.org", "@type": "DataDownload",
                                "name": "vestlod"})))
