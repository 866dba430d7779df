"""Write the dataset's dumps into a fresh folder, then swap it in with one atomic rename.

`dist` is a symbolic link to a sibling folder named after the content's digest
(`dist.<sha>`); a new build is written completely beside it and the link is replaced with
`os.replace`, which is atomic. A reader (the server, a harvester) therefore sees either the old
dataset or the new one, never a mixture, and a failed or killed build leaves the old one served.

Every serialisation is made deterministic: triples are added in sorted order, gzip carries no
timestamp, so two builds from the same sources give byte-identical files.

Every text file of a build also gets a gzip twin (``vestlod.ttl`` → ``vestlod.ttl.gz``,
`precompress`), listed in ``SHA256SUMS`` like the rest: the server sends it to clients that
accept gzip instead of compressing 1.5 MB on every download (`publish.server.files`).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from pyoxigraph import RdfFormat
from rdflib import Dataset

from publish.errors import BuildError
from publish.layout import SUMS, TRIG, gzip_twin, sums_text, version_of

#: file name -> pyoxigraph format of the dump ("trig" keeps the named graphs)
DUMPS: dict[str, RdfFormat] = {
    TRIG: RdfFormat.TRIG,
    "vestlod.ttl": RdfFormat.TURTLE,
    "vestlod.nt.gz": RdfFormat.N_TRIPLES,
    "vestlod.jsonld": RdfFormat.JSON_LD,
    "vestlod.rdf": RdfFormat.RDF_XML,
}


def _quad_key(q: ox.Quad) -> tuple[str, str, str, str]:
    return (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))


def _triple_key(t: ox.Triple) -> tuple[str, str, str]:
    return (str(t.subject), str(t.predicate), str(t.object))


def to_quads(ds: Dataset) -> list[ox.Quad]:
    """The dataset as pyoxigraph quads in one fixed order (graph, subject, predicate, object)."""
    nquads = ds.serialize(format="nquads", encoding="utf-8")
    quads = set(ox.parse(nquads, format=RdfFormat.N_QUADS))
    return sorted(quads, key=_quad_key)


def prefixes_of(ds: Dataset, quads: list[ox.Quad]) -> dict[str, str]:
    """The bound prefixes the data actually uses, sorted by prefix."""
    used: set[str] = set()
    for q in quads:
        for term in (q.subject, q.predicate, q.object, q.graph_name):
            if isinstance(term, ox.NamedNode):
                used.add(term.value)
            elif isinstance(term, ox.Literal):
                used.add(term.datatype.value)
    out: dict[str, str] = {}
    for prefix, ns in sorted(ds.namespaces()):
        if prefix and prefix not in ("xml",) and any(iri.startswith(str(ns)) for iri in used):
            out[prefix] = str(ns)
    return out


def serialise(ds: Dataset) -> dict[str, bytes]:
    """Every dump as bytes (pure: no disk). Serialised by Oxigraph from sorted input, which
    makes the output byte-identical for the same triples (rdflib's serialisers order graphs and
    namespaces by hash)."""
    quads = to_quads(ds)
    prefixes = prefixes_of(ds, quads)
    triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads},
                     key=_triple_key)
    out: dict[str, bytes] = {}
    for name, fmt in DUMPS.items():
        # without an output file ox.serialize returns the bytes; None would be a pyoxigraph bug
        if fmt == RdfFormat.TRIG:
            data = ox.serialize(quads, format=fmt, prefixes=prefixes)
        elif fmt == RdfFormat.N_TRIPLES:
            plain = ox.serialize(triples, format=fmt)
            assert plain is not None
            data = deterministic_gzip(plain)
        elif fmt == RdfFormat.JSON_LD:
            data = ox.serialize(triples, format=fmt)
        else:
            data = ox.serialize(triples, format=fmt, prefixes=prefixes)
        assert data is not None
        out[name] = data
    return out


#: the gzip level of every compressed file: fixed, so a build's bytes do not depend on a default
GZIP_LEVEL = 9


def deterministic_gzip(data: bytes) -> bytes:
    """gzip with nothing in it but the data: mtime 0 and no file name in the header (what
    `gzip.compress` writes), level `GZIP_LEVEL`. The same zlib then gives the same bytes; a
    different zlib (zlib-ng, say) may not, which `SHA256SUMS` would show as a new version."""
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)


def is_text(data: bytes) -> bool:
    """UTF-8 without NUL bytes: a Turtle, JSON-LD, CSV or HTML file, not SQLite or gzip.

    Decided by content rather than by a list of names, so files that later builds add (CSV
    tables, say) are precompressed without anyone remembering to list them here."""
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def precompress(files: dict[str, bytes]) -> dict[str, bytes]:
    """The gzip twin of every text file among ``files`` where it saves bytes (a few hundred
    bytes of text gain nothing), keyed by `publish.layout.gzip_twin`. A name whose twin is
    already among ``files`` keeps the one given (a build never overwrites a published file)."""
    out: dict[str, bytes] = {}
    for name, data in sorted(files.items()):
        twin = gzip_twin(name)
        if twin is None or twin in files or not is_text(data):
            continue
        packed = deterministic_gzip(data)
        if len(packed) < len(data):
            out[twin] = packed
    return out


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


#: what `describe` is given: dump file name -> (byte size, sha256 hex, sha1 hex) of the
#: published bytes (SHA-1 because the DCAT-AP 2 based profiles accept no other checksum)
DumpStats = dict[str, tuple[int, str, str]]


def dump_stats(files: dict[str, bytes]) -> DumpStats:
    """What the catalog says of each dump: its size, sha256 and sha1."""
    return {name: (len(data), sha256(data), hashlib.sha1(data).hexdigest())
            for name, data in files.items()}


def write_dumps(
    ds: Dataset,
    out: Path,
    extra: dict[str, str | bytes] | None = None,
    describe: Callable[[DumpStats], dict[str, str | bytes]] | None = None,
    subsets: dict[str, bytes] | None = None,
) -> dict[str, str]:
    """Write all dumps (plus `extra` files) aside, then atomically point `out` at them.

    `describe` receives the size and sha256 of every dump and returns more files to publish in
    the same swap (the DCAT catalog): a description written later, or beside the swap, could
    disagree with the files a harvester downloads. `subsets` are further downloads (parts of
    the dataset) that `describe` is told about like the dumps.
    """
    files = {**serialise(ds), **(subsets or {})}
    stats = dump_stats(files)
    if describe is not None:
        extra = {**(extra or {}), **describe(stats)}
    for name, content in (extra or {}).items():
        if name in stats:
            raise BuildError(f"{name}: an extra file may not replace a dump")
        files[name] = content.encode("utf-8") if isinstance(content, str) else content
    files.update(precompress(files))
    digests = {name: sha256(data) for name, data in sorted(files.items())}
    sums = sums_text(digests)
    version = version_of(sums)
    publish_files(out, files, sums, version)
    return digests


def publish_files(out: Path, files: dict[str, bytes], sums: str, version: str) -> None:
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists() and not out.is_symlink():
        if any(out.iterdir()):
            # An older layout (a plain folder): move it aside once, keep it as the previous build.
            legacy = out.with_name(f"{out.name}.legacy")
            shutil.rmtree(legacy, ignore_errors=True)
            out.rename(legacy)
        else:
            out.rmdir()
    target = out.with_name(f"{out.name}.{version}")
    tmp = out.with_name(f".{out.name}.{version}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        for name, data in files.items():
            (tmp / name).write_bytes(data)
        (tmp / SUMS).write_text(sums, encoding="utf-8")
        for path in tmp.iterdir():
            with path.open("rb") as fh:
                os.fsync(fh.fileno())
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise BuildError(f"cannot write {target}: {exc}") from exc
    previous = os.readlink(out) if out.is_symlink() else None
    link_tmp = out.with_name(f".{out.name}.link-{os.getpid()}")
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    link_tmp.symlink_to(target.name)
    os.replace(link_tmp, out)  # the atomic step
    # keep the current and the previous build, remove older ones
    keep = {target.name, previous}
    for sibling in out.parent.glob(f"{out.name}.*"):
        if sibling.is_dir() and sibling.name not in keep and not sibling.name.endswith(".legacy"):
            shutil.rmtree(sibling, ignore_errors=True)
    remove_abandoned(out)


def remove_abandoned(out: Path) -> None:
    """Delete temporary folders of builds that were killed mid-write (their process is gone)."""
    for tmp in out.parent.glob(f".{out.name}.*.tmp-*"):
        pid = tmp.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(tmp, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
