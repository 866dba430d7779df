"""The layout of a built folder (``dist/``): file names and the one ``SHA256SUMS`` reader/writer.

The build writes a folder, the store and the server read it; they agree on it only through this
module. ``SHA256SUMS`` is in the format of GNU ``sha256sum`` (``<hex>  <name>``), so
``sha256sum -c SHA256SUMS`` checks a download, and its own sha256 names the version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

#: the dataset in one file, the one the store loads
TRIG = "vestlod.trig"
#: the checksums of every published file (and through its digest, the version)
SUMS = "SHA256SUMS"
#: the DCAT-AP catalog, beside (not among) the dumps it describes
CATALOG = "catalog.ttl"
#: the SHACL report of the gate that let this build through
REPORT = "validation-report.ttl"
#: the full-text search index (SQLite FTS5) the server's /search reads
SEARCH = "search.sqlite"
#: the CSV tables for portals (`publish.build.tables`), in the order their metadata lists them
TABLES = ("actors", "figures", "strength-positions", "relations")
#: the CSV on the Web table group that describes them (``application/csvm+json``)
TABLES_METADATA = "vestlod-tables.csv-metadata.json"


def table_file(name: str) -> str:
    """The file of one table: ``actors`` → ``vestlod-actors.csv``."""
    return f"vestlod-{name}.csv"


#: the suffix of a text file's precompressed twin (``vestlod.ttl`` → ``vestlod.ttl.gz``)
GZ = ".gz"


def gzip_twin(name: str) -> str | None:
    """The name of ``name``'s precompressed twin, or None for a file that is itself gzip."""
    return None if name.endswith(GZ) else name + GZ


def sums_text(digests: Mapping[str, str]) -> str:
    """``SHA256SUMS`` for ``{name: sha256}``, in the given order."""
    return "".join(f"{digest}  {name}\n" for name, digest in digests.items())


def parse_sums(text: str) -> dict[str, str]:
    """``{name: sha256}`` of a ``SHA256SUMS`` text, in file order.

    Accepts both of ``sha256sum``'s separators (text ``"  "`` and binary ``" *"``). Names that
    could leave the folder (a slash, a backslash, a leading dot) are dropped: only the names
    listed here are ever served from a built folder, so a request can never reach another path.
    """
    out: dict[str, str] = {}
    for line in text.splitlines():
        digest, _, name = line.strip().partition(" ")
        name = name.strip().lstrip("*")
        if not name or "/" in name or "\\" in name or name.startswith("."):
            continue
        out[name] = digest.lower()
    return out


def read_sums(folder: Path) -> dict[str, str]:
    """``{name: sha256}`` from ``folder/SHA256SUMS``; empty when there is none."""
    try:
        text = (folder / SUMS).read_text(encoding="utf-8")
    except OSError:
        return {}
    return parse_sums(text)


def version_of(sums: str) -> str:
    """The short version name of a build: the first 16 hex digits of its ``SHA256SUMS``."""
    return hashlib.sha256(sums.encode()).hexdigest()[:16]
