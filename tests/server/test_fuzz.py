"""Generated input against the real `vestlod serve`: no request may produce a 5xx.

Two fuzzers, both hypothesis:

* SPARQL: queries assembled from grammar pieces (forms, patterns, paths, filters, functions,
  modifiers) mixed with raw text, sent by GET and both kinds of POST;
* HTTP: arbitrary methods, paths (percent-encoded bytes, dot segments, suffixes), query
  strings, ``Accept`` values, content types and bodies, written to a socket as raw bytes.

The fixture server has 2 workers, a 1 s limit and a cap of 5 rows. Queries have at most three
patterns over ~40 triples, so a 503 here would be a bug, not a timeout. Case counts below are
what `make test` runs; ``VESTLOD_FUZZ_EXAMPLES`` is not read: raise them here to fuzz longer.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.server.conftest import Server

SPARQL_CASES = 1000
HTTP_CASES = 1000

VL = "<https://w3id.org/vestlod/def/vestlod#"
terms = st.sampled_from(
    ["?s", "?o", "?x", "<https://w3id.org/vestlod/id/actor/a1>", VL + "size>", VL + "Actor>",
     '"Aktør 1"@da', "12", "1.5e3", '"x"^^<http://www.w3.org/2001/XMLSchema#integer>', "[]",
     "_:b", "a", "true", '""', "<>", "?", "<urn:%>", '"\\u0000"', '"""a"""']
)
paths = st.sampled_from(
    ["?p", "a", VL + "size>", f"{VL}size>*", f"^{VL}size>", f"({VL}size>|!a)+",
     "!(a|^a)", f"{VL}size>/{VL}size>?", "(a/a)*"]
)
pattern = st.builds(lambda s, p, o: f"{s} {p} {o} .", terms, paths, terms)
expr = st.sampled_from(
    ["?o > 3", 'REGEX(STR(?o), "^(a|a)*$", "i")', "isIRI(?s)", 'LANG(?o) = "da"',
     "?o / 0", 'STRLEN("x") + "y"', "BOUND(?nope)", 'CONTAINS(?o, "æøå")',
     "xsd:integer(?o)", "?o IN (1, 2, ?s)", "NOT EXISTS { ?s ?p ?o }", "COALESCE()",
     'SUBSTR("abc", -99999999999, 99999999999)', "ABS(-9223372036854775808)"]
)
where = st.builds(
    lambda ps, f, opt: "{ " + " ".join(ps) + (f" FILTER({f})" if f else "") +
    (f" OPTIONAL {{ {opt} }}" if opt else "") + " }",
    st.lists(pattern, min_size=0, max_size=3), st.none() | expr, st.none() | pattern,
)
modifier = st.sampled_from(
    ["", " LIMIT 0", " LIMIT 3", " OFFSET 99999999", " ORDER BY DESC(?o)", " GROUP BY ?s",
     " LIMIT -1", " LIMIT 99999999999999999999", " ORDER BY RAND()", " VALUES ?s { 1 }"]
)
form = st.sampled_from(
    ["SELECT * WHERE", "SELECT ?s (COUNT(*) AS ?n) WHERE", "SELECT DISTINCT ?o WHERE",
     "ASK", "CONSTRUCT WHERE", "DESCRIBE ?s WHERE", "SELECT (SAMPLE(?o) AS ?x) WHERE",
     "PREFIX : <urn:x#> SELECT * WHERE", "BASE <urn:b> SELECT * WHERE", "CONSTRUCT { ?s ?p ?o } WHERE"]
)
structured = st.builds(lambda f, w, m: f"{f} {w}{m}", form, where, modifier)
garbage = st.text(max_size=200)
queries = st.one_of(structured, structured.map(lambda q: q[: len(q) // 2]), garbage,
                    st.builds(lambda a, b: a + b, structured, garbage))
accepts = st.sampled_from(
    [None, "*/*", "application/sparql-results+json", "text/csv", "text/turtle",
     "application/ld+json;q=0.1, text/html", "image/png", "text/*;q=abc", ",,;;", "x" * 300]
)


@settings(max_examples=SPARQL_CASES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(query=queries, accept=accepts, how=st.sampled_from(["get", "form", "raw"]))
def test_generated_sparql_never_gets_a_5xx(
    fuzz_client: httpx.Client, query: str, accept: str | None, how: str
) -> None:
    headers = {"Accept": accept} if accept else {}
    if how == "get":
        r = fuzz_client.get("/sparql", params={"query": query}, headers=headers)
    elif how == "form":
        r = fuzz_client.post("/sparql", data={"query": query}, headers=headers)
    else:
        r = fuzz_client.post("/sparql", content=query.encode("utf-8", "surrogatepass"),
                             headers={**headers, "Content-Type": "application/sparql-query"})
    assert r.status_code < 500, (r.status_code, query, r.text[:300])
    if r.status_code >= 400:
        assert r.text.strip() and "Traceback" not in r.text


segment = st.one_of(
    st.sampled_from(["sparql", "id", "doc", "def", "actor", "org", "a1", "..", ".", "dumps",
                     "catalog", ".well-known", "void", "static", "vestlod", "metrics", "readyz",
                     "validation", "a1.ttl", "a1.html", "x.jsonld", "%2e%2e", "%00", "%2F"]),
    st.binary(max_size=12).map(lambda b: "".join(f"%{c:02X}" for c in b)),
    st.text(alphabet="abcæøå-_.~!$&'()*+,;=:@", max_size=12),
)
paths_http = st.lists(segment, max_size=5).map(lambda s: "/" + "/".join(s))
query_strings = st.one_of(
    st.just(""),
    st.binary(max_size=60).map(lambda b: b.replace(b" ", b"+").replace(b"#", b"%23")
                               .replace(b"\r", b"").replace(b"\n", b"")
                               .decode("latin-1")),
    st.sampled_from(["query=ASK%7B%7D", "lang=xx", "lang=da&lang=en", "format=ttl", "_=1",
                     "query=ASK%7B%7D&query=ASK%7B%7D", "%", "a=%zz", "query"]),
)
header_values = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=80
)
methods = st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "BREW"])
ctypes = st.sampled_from(["application/x-www-form-urlencoded", "application/sparql-query",
                          "application/sparql-update", "application/json", "text/plain", "",
                          "multipart/form-data; boundary=x"])


@settings(max_examples=HTTP_CASES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(method=methods, path=paths_http, qs=query_strings, accept=header_values,
       lang=header_values, ctype=ctypes, body=st.binary(max_size=300),
       inm=st.none() | header_values)
def test_generated_http_requests_never_get_a_5xx(
    server: Server, method: str, path: str, qs: str, accept: str, lang: str, ctype: str,
    body: bytes, inm: str | None,
) -> None:
    target = path + ("?" + qs if qs else "")
    head = [f"{method} {target} HTTP/1.1", "Host: x", "Connection: close", f"Accept: {accept}",
            f"Accept-Language: {lang}", f"Content-Length: {len(body)}"]
    if ctype:
        head.append(f"Content-Type: {ctype}")
    if inm is not None:
        head.append(f"If-None-Match: {inm}")
    request = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=20) as sock:
        sock.sendall(request)
        first = sock.recv(64)
    assert first.startswith(b"HTTP/1.1 "), (target, first)
    status = int(first.split(b" ", 2)[1])
    assert status < 500, (method, target, accept, ctype, body[:60], status)


@pytest.fixture(scope="module")
def fuzz_client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as c:
        yield c
