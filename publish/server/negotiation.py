"""What the resource routes offer and how a request picks one: formats, language, RDF bytes.

The format table itself is `publish.formats`; this module only names the selections the
server offers (a ``/doc`` page in five forms, RDF-only files in four) and turns "nothing
acceptable" into the 406 that lists the alternatives.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph as ox
from starlette.requests import Request

from publish.errors import NotAcceptable
from publish.formats import Format, by_key, negotiate
from publish.server.pages import choose_lang

#: what a /doc page offers, in our order of preference (HTML first: the default for browsers)
DOC_FORMATS: tuple[Format, ...] = tuple(
    by_key(k) for k in ("html", "turtle", "jsonld", "rdfxml", "ntriples")
)
#: RDF only (VoID, the catalog)
RDF_FORMATS: tuple[Format, ...] = DOC_FORMATS[1:]
HTML = by_key("html")


def choose(request: Request, suffix: str | None, offered: tuple[Format, ...]) -> Format:
    """The negotiated format (a suffix beats ``Accept``), or a 406 listing what is offered."""
    fmt = negotiate(request.headers.get("accept"), suffix, offered)
    if fmt is None:
        listed = ", ".join(f"{f.media_type} ({f.suffix})" for f in offered)
        raise NotAcceptable(f"offered here: {listed}")
    return fmt


def request_lang(request: Request) -> str:
    """``?lang=`` beats ``Accept-Language``; see `publish.server.pages.i18n.choose_lang`."""
    return choose_lang(request.query_params.get("lang"), request.headers.get("accept-language"))


def rdf_bytes(triples: Iterable[ox.Triple], fmt: Format,
              prefixes: Mapping[str, str] | None = None) -> bytes:
    """``triples`` serialised by the engine in the RDF format ``fmt`` (prefixes for Turtle)."""
    if not isinstance(fmt.oxigraph, ox.RdfFormat):
        raise ValueError(f"{fmt.key} is not an RDF serialisation")
    return ox.serialize(triples, format=fmt.oxigraph,
                        prefixes=dict(prefixes) if prefixes is not None else None) or b""
