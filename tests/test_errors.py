"""The error tree in `publish.errors`' docstring is the truth: every class, its parent, its exit
code and its HTTP status, as the code has them."""

from __future__ import annotations

import inspect
import re

import publish.errors as errors
from publish.errors import NotAcceptable, NotAcceptableKind, StoreError, VestlodError

LINE = re.compile(r"^(?P<indent>[ │├└─]*)(?P<name>[A-Z]\w+)\s+exit (?P<exit>\d), HTTP (?P<http>\d{3})")


def documented() -> dict[str, tuple[str | None, int, int]]:
    """``{class: (parent, exit code, status)}`` read from the docstring's tree."""
    out: dict[str, tuple[str | None, int, int]] = {}
    parents: list[tuple[int, str]] = []  # (depth, name) of the open branches
    for line in (errors.__doc__ or "").splitlines():
        match = LINE.match(line.strip("\n")[4:])  # the tree is indented by four spaces
        if not match:
            continue
        depth = len(match["indent"])
        while parents and parents[-1][0] >= depth:
            parents.pop()
        parent = parents[-1][1] if parents else None
        out[match["name"]] = (parent, int(match["exit"]), int(match["http"]))
        parents.append((depth, match["name"]))
    return out


def actual() -> dict[str, tuple[str | None, int, int]]:
    out: dict[str, tuple[str | None, int, int]] = {}
    for name, cls in inspect.getmembers(errors, inspect.isclass):
        if issubclass(cls, VestlodError) and cls.__module__ == errors.__name__:
            bases = [b for b in cls.__bases__ if issubclass(b, VestlodError)]
            parent = bases[0].__name__ if bases else None
            out[name] = (parent, cls.exit_code, cls.status)
    return out


def test_the_docstring_tree_lists_every_class_with_its_parent_exit_code_and_status() -> None:
    assert documented() == actual()


def test_a_406_for_an_answer_kind_is_not_a_store_failure() -> None:
    assert issubclass(NotAcceptableKind, NotAcceptable)
    assert not issubclass(NotAcceptableKind, StoreError)
    error = NotAcceptableKind("graph")
    assert error.status == 406 and error.kind == "graph"


def test_config_error_keeps_its_old_import_path() -> None:
    from publish.config import ConfigError

    assert ConfigError is errors.ConfigError
