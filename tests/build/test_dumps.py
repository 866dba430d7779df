"""publish.build.dumps: whole builds swapped in atomically; what a killed build leaves is cleaned up."""

from __future__ import annotations

import os
from pathlib import Path

from publish.build.dumps import publish_files


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
