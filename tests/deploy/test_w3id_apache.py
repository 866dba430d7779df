"""The base IRI on the web: w3id.org's Apache, with our generated .htaccess, in front of vestlod.

A real Debian apache2 with mod_rewrite serves the rules of `vestlod deploy w3id` under
``/vestlod/`` (as w3id.org does) and redirects to a real `vestlod serve` on loopback. What a
Linked Data client does with the base IRI must work end to end: `curl -L -H 'Accept:
text/turtle' …/vestlod/id/org/vestas` ends at the Turtle of the running server; a POSTed query
survives the redirect; query strings arrive. Skipped, saying so, where apache2 is not installed
(`make web-env` installs it, as CI does).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from publish.build.pipeline import BuildResult
from tests.deploy.apache import APACHE, Apache, start_apache
from tests.server.conftest import Server, start_server, stop_server

VESTLOD = str(Path(sys.executable).with_name("vestlod"))

pytestmark = pytest.mark.skipif(
    APACHE is None, reason="apache2 not installed (make web-env); w3id rules not tested")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, built: BuildResult) -> Iterator[Server]:
    srv = start_server(tmp_path_factory.mktemp("w3id"), dist_dir=str(built.out))
    yield srv
    stop_server(srv)


@pytest.fixture(scope="module")
def w3id(served: Server) -> Iterator[Apache]:
    rules = subprocess.run([VESTLOD, "deploy", "w3id", "--target", served.url],
                           capture_output=True, text=True, check=True).stdout
    root = Path(tempfile.mkdtemp(prefix="vestlod-apache-"))
    apache = start_apache(root, "vestlod", rules)
    yield apache
    apache.stop()
    shutil.rmtree(root, ignore_errors=True)


def test_a_thing_ends_at_the_turtle_of_the_running_server(w3id: Apache, served: Server) -> None:
    r = httpx.get(f"{w3id.url}/vestlod/id/org/vestas", headers={"Accept": "text/turtle"},
                  follow_redirects=True, timeout=20)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/turtle")
    assert "<https://w3id.org/vestlod/id/org/vestas>" in r.text
    statuses = [h.status_code for h in r.history]
    assert statuses == [303, 303]  # w3id's redirect, then the server's own thing → description
    assert str(r.history[0].headers["location"]) == f"{served.url}/id/org/vestas"
    assert str(r.url).startswith(f"{served.url}/doc/org/vestas")


def test_negotiation_survives_the_redirect(w3id: Apache) -> None:
    for accept, media in (("application/ld+json", "application/ld+json"),
                          ("text/html", "text/html")):
        r = httpx.get(f"{w3id.url}/vestlod/id/area/energiteknologi", headers={
            "Accept": accept}, follow_redirects=True, timeout=20)
        assert r.status_code == 200
        assert r.headers["content-type"].startswith(media)


def test_a_posted_query_keeps_its_method_and_body(w3id: Apache) -> None:
    query = "ASK { ?s ?p ?o }"
    r = httpx.post(f"{w3id.url}/vestlod/sparql", data={"query": query},
                   headers={"Accept": "application/sparql-results+json"},
                   follow_redirects=True, timeout=20)
    assert [h.status_code for h in r.history] == [307]
    assert r.status_code == 200
    assert r.json()["boolean"] is True


def test_query_strings_and_other_addresses_arrive(w3id: Apache, served: Server) -> None:
    r = httpx.get(f"{w3id.url}/vestlod/sparql", params={"query": "ASK { ?s ?p ?o }"},
                  headers={"Accept": "application/sparql-results+json"},
                  follow_redirects=True, timeout=20)
    assert r.status_code == 200 and r.json()["boolean"] is True
    page = httpx.get(f"{w3id.url}/vestlod/doc/org/vestas?lang=en", follow_redirects=True,
                     timeout=20)
    assert page.history[0].status_code == 302
    assert str(page.url) == f"{served.url}/doc/org/vestas?lang=en"
    assert '<html lang="en">' in page.text
    ontology = httpx.get(f"{w3id.url}/vestlod/def/vestlod", headers={"Accept": "text/turtle"},
                         follow_redirects=True, timeout=20)
    assert ontology.status_code == 200 and "owl:Ontology" in ontology.text
