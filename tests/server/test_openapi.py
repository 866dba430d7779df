"""The OpenAPI document (publish/server/openapi.yaml) and the app's routes cannot drift apart.

Every route of the app is a path of the document with the same methods, and every path of
the document is a route. A path whose route pattern is wider says so in ``x-route``. Static
mounts (/static/...) are files, not API, and are left out on purpose.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import yaml
from starlette.routing import Mount, Route

from publish.server.app import OPENAPI, create_app, openapi_document
from tests.conftest import project_settings

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def app_routes(tmp_path: Path) -> dict[str, set[str]]:
    app = create_app(project_settings(dist_dir=tmp_path, ui_assets_dir=str(tmp_path)))
    routes: dict[str, set[str]] = {}
    for route in app.router.routes:
        if isinstance(route, Mount):
            assert route.path.startswith("/static/"), f"an unexpected mount {route.path}"
            continue
        assert isinstance(route, Route), route
        methods = {m.lower() for m in route.methods or ()} - {"head"}  # HEAD comes with GET
        routes.setdefault(route.path, set()).update(methods)
    return routes


def schema_routes() -> dict[str, set[str]]:
    doc = openapi_document()
    paths = doc["paths"]
    assert isinstance(paths, dict)
    return {
        item.get("x-route", path): {k for k in item if k in HTTP_METHODS}
        for path, item in paths.items()
    }


def test_every_route_is_in_the_schema_and_vice_versa(tmp_path: Path) -> None:
    routes, documented = app_routes(tmp_path), schema_routes()
    assert sorted(set(routes) - set(documented)) == [], "routes missing from openapi.yaml"
    assert sorted(set(documented) - set(routes)) == [], "paths in openapi.yaml with no route"
    assert {p: sorted(m) for p, m in routes.items()} == {
        p: sorted(m) for p, m in documented.items()
    }


def test_the_schema_is_openapi_3_with_unique_operation_ids() -> None:
    doc = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
    assert str(doc["openapi"]).startswith("3.")
    ids = [op["operationId"] for item in doc["paths"].values()
           for method, op in item.items() if method in HTTP_METHODS]
    assert len(ids) == len(set(ids))


def test_the_server_serves_it_as_yaml_and_json(asgi_client: httpx.Client) -> None:
    client = asgi_client
    as_yaml = client.get("/openapi.yaml")
    assert as_yaml.status_code == 200
    assert as_yaml.headers["content-type"].startswith("application/yaml")
    as_json = client.get("/openapi.json")
    assert as_json.status_code == 200
    assert as_json.json() == yaml.safe_load(as_yaml.text) == openapi_document()
    for ui in ("/docs", "/redoc"):
        assert client.get(ui).status_code == 404
