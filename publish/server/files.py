"""The published files of the version being served: ``/catalog``, ``/dumps/`` and each dump.

Files come from the built folder of the served version (`Live.files`), not from whatever
``dist/`` points at right now: a build swaps the ``dist`` link at once, but the server swaps
its store only when it has loaded the new data (or never, under ``--store``), and until then a
download must describe the same data as ``/sparql``. The build keeps the previous folder on disk
for exactly this.

Only names listed in that folder's ``SHA256SUMS`` are served (`publish.layout.read_sums`), so
no request path ever reaches the file system.

A dump with a gzip twin (``vestlod.ttl.gz``, which `publish.build.dumps.precompress` writes)
is negotiated: a client that accepts gzip gets the twin's bytes as ``Content-Encoding: gzip``
with its own ETag (``"tag-gzip"``) and ``Digest``, the same cache policy and ``Vary:
Accept-Encoding``; nothing is compressed per request. A ``Range`` request is always answered
from the identity file: a client that decoded a gzip download holds identity bytes, so the
offsets it asks to resume from are offsets into the identity file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import anyio.to_thread
import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from publish.errors import NotFound
from publish.formats import by_suffix
from publish.layout import CATALOG, SUMS, TABLES_METADATA, gzip_twin, read_sums
from publish.server.compression import encoded
from publish.server.conditional import (
    IMMUTABLE,
    REVALIDATE,
    cache_headers,
    make_etag,
    not_modified,
)
from publish.server.live import Live, Serving, version_folder
from publish.server.negotiation import HTML, RDF_FORMATS, choose, rdf_bytes, request_lang
from publish.server.pages import Pages
from publish.server.profiles import alternatives_turtle, choose_profile, link_header


def _served_folder(request: Request) -> tuple[Live, Path]:
    """The live dataset and its built folder, or a 404 saying which version has no files."""
    serving: Serving = request.app.state.serving
    live = serving.live()
    folder = live.files(Path(serving.settings.dist_dir))
    if folder is None:
        raise NotFound(f"the files of the served version {live.version[:12]} are not on disk")
    return live, folder


async def served_folder(request: Request) -> tuple[Live, Path]:
    return await anyio.to_thread.run_sync(_served_folder, request)


def listed_files(folder: Path) -> list[tuple[str, int, str]]:
    """(name, size, sha256) of every file ``SHA256SUMS`` lists that exists as a plain file."""
    out = []
    for name, digest in read_sums(folder).items():
        path = folder / name
        try:
            if path.is_file():
                out.append((name, path.stat().st_size, digest))
        except OSError:
            continue
    return out


#: the CSV tables and their CSV on the Web metadata (`publish.build.tables`)
CSV_TYPE = "text/csv; charset=utf-8"
CSVM_TYPE = "application/csvm+json"


def dump_media_type(name: str) -> str:
    if name.endswith(".gz"):
        return "application/gzip"
    if name == SUMS:
        return "text/plain; charset=utf-8"
    if name.endswith(".csv-metadata.json"):
        return CSVM_TYPE
    if name.endswith(".csv"):
        return CSV_TYPE
    fmt = by_suffix(Path(name).suffix)
    return fmt.content_type if fmt else "application/octet-stream"


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


async def catalog(request: Request) -> Response:
    """The catalog the build wrote with the served version, in the profile and format asked for.

    The profile by W3C Content Negotiation by Profile (`publish.server.profiles`): DCAT-AP
    3.0.1 by default, DCAT-AP 2.1.1 or DCAT-AP-DK 2.0.2 by ``Accept-Profile`` or ``_profile``,
    each the file the build wrote for it (`publish.profiles`); ``_profile=alt`` lists them.
    Turtle by default; RDF/XML, JSON-LD and N-Triples by ``Accept``, converted by Oxigraph from
    the file (never from request text).
    """
    profile = choose_profile(request.query_params.get("_profile"),
                             request.headers.get("accept-profile"))
    fmt = choose(request, None, RDF_FORMATS)
    _live, folder = await served_folder(request)
    if profile is None:  # _profile=alt: the list of profiles offered
        settings = request.app.state.serving.settings
        triples = [ox.Triple(t.subject, t.predicate, t.object) for t in ox.parse(
            alternatives_turtle(settings.base_iri, "/catalog"), format=ox.RdfFormat.TURTLE)]
        headers = cache_headers(vary="Accept, Accept-Profile")
        headers["Link"] = link_header(None, "/catalog")
        return Response(rdf_bytes(triples, fmt), media_type=fmt.content_type, headers=headers)
    name = profile.file
    data = await anyio.to_thread.run_sync(_read, folder / name)
    if data is None:
        if name == CATALOG:
            raise NotFound("no catalog has been built")
        raise NotFound(f"the served version has no catalog in the profile {profile.label}")
    headers = cache_headers(etag=make_etag(data, fmt.key + profile.token),
                            vary="Accept, Accept-Profile")
    headers["Link"] = ('</.well-known/void>; rel="describedby", '
                       + link_header(profile, "/catalog"))
    headers["Content-Profile"] = f"<{profile.uri}>"
    unchanged = not_modified(request.headers, headers)
    if unchanged is not None:
        return unchanged
    if fmt.key == "turtle":
        body = data
    else:
        triples = [ox.Triple(t.subject, t.predicate, t.object)
                   for t in ox.parse(data, format=ox.RdfFormat.TURTLE)]
        body = rdf_bytes(triples, fmt)
    return Response(body, media_type=fmt.content_type, headers=headers)


def listed_tables(folder: Path, files: list[tuple[str, int, str]]) -> list[dict[str, Any]]:
    """The CSV tables of a build as its CSVW metadata describes them (name, titles and
    descriptions by language, size), for the downloads page; none when it has no metadata."""
    sizes = {name: size for name, size, _ in files}
    if TABLES_METADATA not in sizes:
        return []
    try:
        data = json.loads((folder / TABLES_METADATA).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []

    def texts(values: Any) -> dict[str, str]:
        return {v.get("@language", ""): str(v.get("@value", "")) for v in values or []
                if isinstance(v, dict)}

    return [{"name": t["url"], "size": sizes[t["url"]], "title": texts(t.get("dc:title")),
             "description": texts(t.get("dc:description"))}
            for t in data.get("tables", []) if isinstance(t, dict) and t.get("url") in sizes]


async def dumps_index(request: Request) -> Response:
    live, folder = await served_folder(request)
    files = await anyio.to_thread.run_sync(listed_files, folder)
    accept = request.headers.get("accept")
    listing = [{"name": n, "size": s, "sha256": d, "media_type": dump_media_type(n),
                "url": f"/dumps/{n}"} for n, s, d in files]
    headers = {"Vestlod-Dataset-Version": live.version}
    if accept and "application/json" in accept and "text/html" not in accept:
        headers.update(cache_headers(vary="Accept"))
        return Response(json.dumps(listing, indent=1), media_type="application/json",
                        headers=headers)
    pages: Pages = request.app.state.pages
    tables = await anyio.to_thread.run_sync(listed_tables, folder, files)
    html = pages.dumps(request_lang(request), "/dumps/", listing, tables, TABLES_METADATA)
    headers.update(cache_headers(vary="Accept, Accept-Language"))
    return Response(html, media_type=HTML.content_type, headers=headers)


async def dump_file(request: Request) -> Response:
    """A file of the served build, named with its version in ``Content-Location``."""
    live, folder = await served_folder(request)
    name = request.path_params["name"]
    return await _send_file(request, live.version, folder, name, REVALIDATE,
                            f"/dumps/{live.version}/{name}")


async def versioned_file(request: Request) -> Response:
    """``/dumps/{version}/{name}``: a file of one build, which never changes, so caches may keep
    it for a year without asking again. Served while that build's folder is on disk (the
    current one and the one before it); an unknown version is a 404."""
    serving: Serving = request.app.state.serving
    version = request.path_params["version"]
    if not VERSION.fullmatch(version):
        raise NotFound("a version is the 64 hex digits of SHA256SUMS's vestlod.trig line")
    live = serving.live()
    if version == live.version:
        _live, folder = await served_folder(request)
    else:
        found = await anyio.to_thread.run_sync(version_folder, Path(serving.settings.dist_dir),
                                               version)
        if found is None:
            raise NotFound(f"no build of version {version[:12]} is on this server")
        folder = found
    return await _send_file(request, version, folder, request.path_params["name"], IMMUTABLE,
                            None)


async def _send_file(request: Request, version: str, folder: Path, wanted: str, policy: str,
                     location: str | None) -> Response:
    if wanted == SUMS:
        path = folder / SUMS
        if not path.is_file():
            raise NotFound("no dumps have been built")
        sums = await anyio.to_thread.run_sync(path.read_bytes)
        headers = cache_headers(etag=make_etag(sums), policy=policy)
        headers["Vestlod-Dataset-Version"] = version
        if location:
            headers["Content-Location"] = location
        return not_modified(request.headers, headers) or Response(
            sums, media_type=dump_media_type(SUMS), headers=headers)
    files = {n: (s, d) for n, s, d in await anyio.to_thread.run_sync(listed_files, folder)}
    if wanted not in files:
        raise NotFound(f"no dump named {wanted!r}")
    name = next(n for n in files if n == wanted)  # the listed name, not the request's text
    _size, digest = files[name]
    twin = gzip_twin(name)
    negotiated = twin is not None and twin in files
    packed = (negotiated and "range" not in request.headers
              and accepts_gzip(request.headers.get("accept-encoding")))
    etag = f'"{digest[:40]}"'
    headers = cache_headers(etag=encoded(etag, "gzip") if packed else etag, policy=policy,
                            vary="Accept-Encoding" if negotiated else None)
    headers["Vestlod-Dataset-Version"] = version
    if name.endswith(".csv") and TABLES_METADATA in files:
        # CSVW's way to find a table's metadata (tabular-metadata §5.2); relative, so a versioned
        # address points at the metadata of the same version
        headers["Link"] = f'<{TABLES_METADATA}>; rel="describedby"; type="{CSVM_TYPE}"'
    if location:
        headers["Content-Location"] = location
    unchanged = not_modified(request.headers, headers)
    if unchanged is not None:
        return unchanged
    if packed and twin is not None:
        headers["Content-Encoding"] = "gzip"
        headers["Digest"] = f"sha-256={files[twin][1]}"  # of the bytes sent (RFC 3230)
        return FileResponse(folder / twin, media_type=dump_media_type(name), filename=name,
                            headers=headers)
    headers["Digest"] = f"sha-256={digest}"
    return FileResponse(folder / name, media_type=dump_media_type(name), filename=name,
                        headers=headers)


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether ``Accept-Encoding`` allows gzip (RFC 9110 §12.5.3): named, or ``*``, with a
    quality above 0, and not refused by name. Preferred even where br or zstd rank higher:
    the precompressed twin costs no CPU, and any acceptable coding is a correct answer."""
    if not accept_encoding:
        return False
    qualities: dict[str, float] = {}
    for item in accept_encoding.split(","):
        coding, _, params = item.partition(";")
        coding = coding.strip().lower()
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding:
            qualities[coding] = quality
    for coding in ("gzip", "x-gzip"):
        if coding in qualities:
            return qualities[coding] > 0
    return qualities.get("*", 0.0) > 0


#: a dataset version: the sha256 of its vestlod.trig
VERSION = re.compile(r"[0-9a-f]{64}")

routes = [
    Route("/catalog", catalog, methods=["GET"]),
    Route("/dumps", dumps_index, methods=["GET"]),
    Route("/dumps/", dumps_index, methods=["GET"]),
    Route("/dumps/{name}", dump_file, methods=["GET"]),
    Route("/dumps/{version}/{name}", versioned_file, methods=["GET"]),
]
