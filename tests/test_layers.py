"""The architecture, as a test: which part of `publish/` may import which.

The flow runs one way (source → build → files → store → server). The build writes files and
never reaches the query or web layers; the query layer reads built files and never reaches back
into the build or up into the server; the server serves the store and the files of the version
it serves, never the build. Shared top-level modules (`config`, `errors`, `vocab`, `uris`,
`formats`, `layout`) import no package. Only `cli` wires everything.

Imports are read with `ast`, so an import inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PUBLISH = Path(__file__).resolve().parents[1] / "publish"

#: the packages (and top-level modules) each part of publish/ may import from
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "vocab": set(),
    "config": {"errors"},
    "uris": {"errors", "vocab"},
    "formats": {"errors"},
    "layout": {"errors"},
    "textsearch": set(),
    "profiles": set(),
    "indexes": {"vocab"},  # the browse indexes' SPARQL, shared by the build's tables and server
    "build": {"build", "errors", "config", "vocab", "uris", "formats", "layout", "textsearch",
              "profiles", "indexes", "__init__"},
    "query": {"query", "errors", "config", "vocab", "uris", "formats", "layout", "__init__"},
    "server": {"server", "query", "errors", "config", "vocab", "uris", "formats", "layout",
               "textsearch", "profiles", "indexes", "__init__"},
    "deploy": {"deploy", "errors", "config", "layout", "__init__"},
    "cli": {"build", "query", "server", "deploy", "errors", "config", "vocab", "uris", "formats",
            "layout", "profiles", "__init__"},
    "__init__": set(),
}
#: third-party web stack the build and query layers must not pull in
WEB_STACK = {"starlette", "fastapi", "jinja2", "uvicorn"}


def part_of(path: Path, root: Path = PUBLISH) -> str:
    rel = path.relative_to(root)
    return rel.parts[0].removesuffix(".py")


def imports_of(path: Path, root: Path = PUBLISH) -> list[tuple[int, str]]:
    """(line, dotted module) for every import in a file, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(("publish", *path.relative_to(root).with_suffix("").parts[:-1]))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            if module == "publish":  # `from publish import x`: a module, or a name of __init__
                found += [(node.lineno, f"publish.{alias.name}"
                           if (root / alias.name).is_dir() or (root / f"{alias.name}.py").is_file()
                           else "publish.__init__") for alias in node.names]
            else:
                found.append((node.lineno, module))
    return found


def violations(root: Path = PUBLISH) -> list[str]:
    out = []
    for path in sorted(root.rglob("*.py")):
        part = part_of(path, root)
        for line, module in imports_of(path, root):
            where = f"{path.relative_to(root.parent)}:{line}"
            top = module.split(".")[0]
            if top == "publish":
                target = module.split(".")[1] if "." in module else "__init__"
                if target != part and target not in ALLOWED[part]:
                    out.append(f"{where}: {part} imports publish.{target}")
            elif top in WEB_STACK and part in ("build", "query", "config", "errors", "vocab",
                                               "uris", "formats", "layout", "profiles"):
                out.append(f"{where}: {part} imports the web stack ({top})")
    return out


def test_every_part_of_publish_is_in_the_table() -> None:
    parts = {part_of(p) for p in PUBLISH.rglob("*.py")}
    assert parts <= set(ALLOWED), f"add {parts - set(ALLOWED)} to ALLOWED with its rule"


def test_no_import_crosses_a_layer() -> None:
    assert violations() == []


@pytest.mark.parametrize(
    ("part", "source", "expected"),
    [
        ("build/x.py", "from publish.query.store import load_store\n", "build imports publish.query"),
        ("build/x.py", "import publish.server.app\n", "build imports publish.server"),
        ("query/x.py", "from publish.build import pipeline\n", "query imports publish.build"),
        ("query/x.py", "from publish.server.live import Serving\n", "query imports publish.server"),
        ("server/x.py", "def f():\n    from publish.build.graph import x\n",
         "server imports publish.build"),
        ("server/x.py", "from ..build import graph\n", "server imports publish.build"),
        ("query/x.py", "from starlette.requests import Request\n", "query imports the web stack"),
        ("config.py", "from publish.server import app\n", "config imports publish.server"),
    ],
)
def test_a_crossing_import_is_caught(tmp_path: Path, part: str, source: str,
                                     expected: str) -> None:
    """The checker itself: each forbidden import, planted in a copy of the layout, is reported."""
    root = tmp_path / "publish"
    target = root / part
    target.parent.mkdir(parents=True)
    target.write_text(source, encoding="utf-8")
    (root / "__init__.py").write_text("", encoding="utf-8")
    found = violations(root)
    assert any(expected in v for v in found), found


def test_allowed_imports_pass(tmp_path: Path) -> None:
    root = tmp_path / "publish"
    (root / "server").mkdir(parents=True)
    (root / "server" / "x.py").write_text(
        "from publish.query.store import Store\nfrom publish.vocab import PREFIXES\n"
        "from .live import Serving\n", encoding="utf-8")
    assert violations(root) == []
