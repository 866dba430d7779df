"""publish.build.dumps: whole builds swapped in atomically; what a killed build leaves is cleaned up."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

from publish.build.dumps import precompress, publish_files


def publish(out: Path, text: bytes) -> None:
    publish_files(out, {"a.ttl": text}, "x  a.ttl\n", text.hex()[:16])


def test_the_link_points_at_the_newest_build_and_keeps_one_previous(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    for n in range(3):
        publish(out, f"build {n}".encode())
    assert out.is_symlink()
    assert (out / "a.ttl").read_bytes() == b"build 2"
    builds = sorted(p.name for p in tmp_path.glob("dist.*") if p.is_dir())
    assert len(builds) == 2  # current and previous


def test_a_killed_builds_temporary_folder_is_removed_by_the_next_build(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    dead = tmp_path / ".dist.0123456789abcdef.tmp-4000000"  # no such process
    alive = tmp_path / f".dist.0123456789abcdef.tmp-{os.getppid()}"  # a running process
    dead.mkdir()
    alive.mkdir()
    publish(out, b"fresh")
    assert not dead.exists()
    assert alive.exists()  # another build may still be writing it


# ------------------------------------------------------------- gzip twins (issue #19, item 1)


def test_every_text_file_gets_a_deterministic_gzip_twin_whatever_its_name() -> None:
    """Decided by content, not by a list: a CSV table a later build adds is covered too."""
    table = ("iri,label\n" + "".join(f"https://w3id.org/vestlod/id/org/o{n},Org {n}\n"
                                     for n in range(200))).encode()
    turtle = b"@prefix ex: <http://example.org/> .\n" + b"ex:a ex:b ex:c .\n" * 200
    files = {"tables/orgs.csv": table, "vestlod.ttl": turtle,
             "search.sqlite": b"SQLite format 3\x00" + bytes(4000),  # binary: no twin
             "vestlod.nt.gz": gzip.compress(turtle),                # already gzip: no twin
             "tiny.ttl": b"ex:a ex:b ex:c .\n"}                      # gzip would be larger
    twins = precompress(files)
    assert set(twins) == {"tables/orgs.csv.gz", "vestlod.ttl.gz"}
    for name, packed in twins.items():
        assert gzip.decompress(packed) == files[name.removesuffix(".gz")]
        # RFC 1952 header: FLG 0 (no file name), MTIME 0, XFL 2 (the slowest, level 9)
        assert packed[3] == 0 and packed[4:8] == bytes(4) and packed[8] == 2
    assert precompress(files) == twins  # byte-identical again


def test_a_twin_already_published_is_not_replaced() -> None:
    own = gzip.compress(b"x" * 5000, mtime=0)
    files = {"a.ttl": b"y" * 5000, "a.ttl.gz": own}
    assert precompress(files) == {}
