"""Conditional GET and cache headers, written once for every route that sets them.

Answers only change when a new build is swapped in, so every cacheable answer carries a
validator (an ``ETag`` derived from the dataset version, sometimes a ``Last-Modified``) and
``Cache-Control: public, no-cache``: a cache may keep it but must ask again, because a swap can
change it at any moment. Asking again costs a 304 and no body.

The comparison follows RFC 9110 §13.1.2: ``If-None-Match`` takes a list of tags or ``*`` and
compares weakly (``W/"x"`` matches ``"x"``); when it is present ``If-Modified-Since`` is ignored,
because a tag is the finer validator. A 304 repeats the headers a 200 would carry, so a cache
can refresh what it stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime

from starlette.responses import Response

#: may be stored, must be revalidated (a swap can change the answer at any time)
REVALIDATE = "public, no-cache"
#: a 303 from /id/ to /doc/: the mapping is fixed by the IRI rules, not by the data
REDIRECT = "public, max-age=3600"
#: never stored: errors and other answers that say nothing about the dataset
NO_STORE = "no-store"
#: a file of one build at its versioned address: it can never change
IMMUTABLE = "public, max-age=31536000, immutable"


def make_etag(*parts: str | bytes) -> str:
    """A strong tag from the parts that decide a body (dataset version, variant, …)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") if isinstance(part, str) else part)
        digest.update(b"\x00")
    return '"' + digest.hexdigest()[:40] + '"'


def http_date(moment: datetime) -> str:
    """An IMF-fixdate; whole seconds, since that is all ``If-Modified-Since`` can say back."""
    return format_datetime(moment.replace(microsecond=0), usegmt=True)


#: content codings whose answers carry their own tag, ``"tag-gzip"`` (`publish.server.compression`)
ENCODING_SUFFIXES = ("gzip", "br", "zstd")


def _identity_tag(tag: str) -> str:
    """``"tag-gzip"`` → ``"tag"``: the tag of the identity representation it encodes."""
    tag = tag.removeprefix("W/")
    for encoding in ENCODING_SUFFIXES:
        if tag.endswith(f'-{encoding}"'):
            return tag[: -len(encoding) - 2] + '"'
    return tag


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Weak comparison of ``etag`` against an ``If-None-Match`` list (or ``*``); a tag of a
    compressed variant of the same answer matches too."""
    if not if_none_match:
        return False
    ours = _identity_tag(etag)  # a precompressed dump's own tag is already "tag-gzip"
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or _identity_tag(candidate) == ours:
            return True
    return False


def modified_since(if_modified_since: str | None, last_modified: str) -> bool:
    """False when the client's copy (dated ``If-Modified-Since``) is still current."""
    if not if_modified_since:
        return True
    try:
        since = parsedate_to_datetime(if_modified_since)
        modified = parsedate_to_datetime(last_modified)
    except (TypeError, ValueError):
        return True  # an unreadable date is ignored, as RFC 9110 §13.1.3 asks
    if since is None or modified is None:
        return True
    return modified > since


def cache_headers(
    *,
    etag: str | None = None,
    last_modified: datetime | None = None,
    vary: str | None = None,
    policy: str = REVALIDATE,
) -> dict[str, str]:
    """The caching headers of one answer, spelled the same way on every route."""
    headers = {"Cache-Control": policy}
    if vary:
        headers["Vary"] = vary
    if etag:
        headers["ETag"] = etag
    if last_modified is not None:
        headers["Last-Modified"] = http_date(last_modified)
    return headers


def is_fresh(request_headers: Mapping[str, str], headers: Mapping[str, str]) -> bool:
    """True when the client's cached copy of the answer described by ``headers`` is current."""
    etag = headers.get("ETag")
    if_none_match = request_headers.get("if-none-match")
    if if_none_match is not None:
        return etag is not None and etag_matches(if_none_match, etag)
    last_modified = headers.get("Last-Modified")
    if last_modified is None or request_headers.get("if-modified-since") is None:
        return False
    return not modified_since(request_headers.get("if-modified-since"), last_modified)


def not_modified(
    request_headers: Mapping[str, str], headers: Mapping[str, str]
) -> Response | None:
    """A 304 carrying ``headers`` if the client's copy is current, else None (send the body)."""
    if is_fresh(request_headers, headers):
        return Response(status_code=304, headers=dict(headers))
    return None
