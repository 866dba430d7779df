"""W3C Content Negotiation by Profile (https://www.w3.org/TR/dx-prof-conneg/) for ``/catalog``.

Two ways to ask, as the Recommendation's HTTP and query-string functional profiles define them
(RDFLib Prez answers the same way): the ``Accept-Profile`` header with profile URIs in angle
brackets and q-values, or the ``_profile`` query parameter with a token or a URI
(``_profile=alt`` lists the profiles offered). The answer names its profile in
``Content-Profile`` and in ``Link: <uri>; rel="profile"``, and lists the other profiles as
``rel="alternate"`` links.

A header that names no profile we offer gets the default profile (and says which in
``Content-Profile``): a harvester that knows only one profile still gets a catalog. A
``_profile`` we do not offer is a 406 listing the tokens: a person typed it.
"""

from __future__ import annotations

from publish.errors import NotAcceptable
from publish.profiles import PROFILES, Profile, by_token, by_uri

#: the `_profile` token of the list of alternatives
ALT = "alt"


def _q(params: list[str]) -> float:
    for param in params:
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


def from_header(value: str | None) -> Profile | None:
    """The best profile an ``Accept-Profile`` header names, or None (absent, none known)."""
    if not value:
        return None
    best: tuple[float, int, Profile] | None = None
    for position, item in enumerate(value.split(",")):
        uri, *params = item.strip().split(";")
        uri = uri.strip()
        if not (uri.startswith("<") and uri.endswith(">")):
            continue
        profile = by_uri(uri[1:-1])
        q = _q(params)
        if profile is None or q == 0:
            continue
        if best is None or (q, -position) > (best[0], -best[1]):
            best = (q, position, profile)
    return best[2] if best else None


def choose_profile(query_value: str | None, header: str | None) -> Profile | None:
    """``_profile`` beats ``Accept-Profile``; None means the list of alternatives."""
    if query_value is not None:
        if query_value == ALT:
            return None
        profile = by_token(query_value) or by_uri(query_value.strip("<>"))
        if profile is None:
            offered = ", ".join(f"{p.token} (<{p.uri}>)" for p in PROFILES)
            raise NotAcceptable(f"no profile {query_value!r}; offered: {offered}, or {ALT}")
        return profile
    return from_header(header) or PROFILES[0]


def link_header(chosen: Profile | None, path: str) -> str:
    """``Link``: the profile of this answer and the other representations by profile."""
    links = []
    if chosen is not None:
        links.append(f'<{chosen.uri}>; rel="profile"')
    for p in PROFILES:
        if p is not chosen:
            links.append(f'<{path}?_profile={p.token}>; rel="alternate"; type="text/turtle"; '
                         f'profile="{p.uri}"')
    if chosen is not None:
        links.append(f'<{path}?_profile={ALT}>; rel="alternate"; type="text/turtle"')
    return ", ".join(links)


def alternatives_turtle(base_iri: str, path: str) -> bytes:
    """The profiles offered, as W3C PROF in Turtle (what ``_profile=alt`` answers)."""
    lines = ["@prefix dct: <http://purl.org/dc/terms/> .",
             "@prefix prof: <http://www.w3.org/ns/dx/prof/> .",
             "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .", ""]
    for i, p in enumerate(PROFILES):
        default = " ; rdfs:comment \"the default\"@en" if i == 0 else ""
        lines.append(f'<{p.uri}> a prof:Profile ; rdfs:label "{p.label}" ; '
                     f'prof:hasToken "{p.token}"{default} .')
        lines.append(f'<{base_iri}{path.lstrip("/")}?_profile={p.token}> dct:conformsTo '
                     f'<{p.uri}> ; dct:format <https://www.iana.org/assignments/media-types/'
                     f'text/turtle> .')
    return ("\n".join(lines) + "\n").encode("utf-8")
