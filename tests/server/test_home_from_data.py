"""The home page's title and description are the dataset's own, read from the served store.

The build writes them into the metadata graph from data/catalog.yaml; the server holds no copy,
so a curator changes them in one place and the page follows.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
from fastapi import FastAPI

from publish.build.dumps import publish_files
from publish.layout import sums_text, version_of
from tests.server.conftest import BASE, fixture_trig
from tests.server.test_files_version import serve

METADATA = f"""<{BASE}graph/metadata> {{
  <{BASE}id/dataset/vestlod> <http://purl.org/dc/terms/title> "Prøvedata om samarbejde"@da ,
      "Test data on cooperation"@en ;
    <http://purl.org/dc/terms/description> "Kun til prøver."@da , "Only for tests."@en .
}}
"""


def test_the_home_page_shows_the_dataset_s_title_and_description(tmp_path: Path) -> None:
    trig = (fixture_trig(3) + METADATA).encode()
    sums = sums_text({"vestlod.trig": hashlib.sha256(trig).hexdigest()})
    publish_files(tmp_path / "dist", {"vestlod.trig": trig}, sums, version_of(sums))

    async def check(client: httpx.AsyncClient, app: FastAPI) -> None:
        en = (await client.get("/?lang=en")).text
        da = (await client.get("/?lang=da")).text
        assert "<h1>Test data on cooperation</h1>" in en and "Only for tests." in en
        assert "<h1>Prøvedata om samarbejde</h1>" in da and "Kun til prøver." in da
        for page in (en, da):
            assert "Stronger West Danish cooperation" not in page
            assert "Styrket vestdansk samarbejde som linked data" not in page

    serve(tmp_path, check)
