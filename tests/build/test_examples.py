"""The query UI's example queries answer real questions about the built annex."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from publish.query.store import prefixes_for
from publish.server.ui import EXAMPLES

PROLOGUE = "".join(f"PREFIX {p}: <{i}>\n" for p, i in prefixes_for("https://w3id.org/vestlod/").items())


@pytest.mark.parametrize(("title", "query"), EXAMPLES, ids=[t for t, _ in EXAMPLES])
def test_every_example_query_returns_rows(store: ox.Store, title: str, query: str) -> None:
    result = store.query(PROLOGUE + query, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    rows = list(result)
    assert rows, f"example {title!r} returns nothing"
