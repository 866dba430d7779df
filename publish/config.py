"""Settings: one table, one frozen object, one reader of the environment.

Order of precedence: defaults < TOML file (``vestlod.toml`` or ``$VESTLOD_CONFIG``) < ``VESTLOD_*``
environment variables < explicit overrides (CLI flags). Derived values (endpoint URL, VoID
``uriSpace``) are computed here, after overrides, so nothing downstream recomputes them.
Nothing else in vestlod reads ``os.environ``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from publish.errors import ConfigError

__all__ = [
    "SETTINGS", "ConfigError", "Setting", "SettingRow", "Settings", "describe_settings",
    "env_name", "load_settings", "settings_markdown",
]


@dataclass(frozen=True)
class Setting:
    """One row of the table. ``secret`` rows (credentials) are read only from the environment:
    a TOML file or a command line would end up in a repository or a shell history."""

    name: str
    default: Any
    help: str
    cast: Callable[[str], Any] = str
    secret: bool = False


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


SETTINGS: tuple[Setting, ...] = (
    Setting("base_iri", "https://w3id.org/vestlod/", "Canonical base IRI of every published URI."),
    Setting("data_dir", "data", "Folder with source/, annotations/, links/ and catalog.yaml."),
    Setting("ontology_dir", "ontology", "Folder with the OWL ontology and SKOS schemes."),
    Setting("shapes_dir", "shapes", "Folder with the SHACL shapes."),
    Setting("dist_dir", "dist",
            "The built folder (`--dist`): `build` writes it, the others read it."),
    Setting("host", "127.0.0.1", "Interface `vestlod serve` binds to."),
    Setting("port", 8000, "Port `vestlod serve` listens on.", int),
    Setting("query_timeout", 10.0, "Seconds a SPARQL query may run before it is stopped.", float),
    Setting("result_cap", 10000, "Maximum rows (or triples) returned by one query.", int),
    Setting("cache_mb", 64, "Memory cap of the in-process result cache, in MiB.", int),
    Setting("store_path", "", "Empty: in-memory store. A folder: on-disk pyoxigraph store.", str),
    Setting(
        "service_allowlist",
        (),
        "Comma-separated SPARQL endpoints a SERVICE clause may call (default: none).",
        _list,
    ),
    Setting(
        "store_url",
        "",
        "Empty: the embedded store. A SPARQL 1.1 query endpoint URL: serve from that store.",
    ),
    Setting(
        "store_update_url",
        "",
        "SPARQL 1.1 Update endpoint of the remote store (`vestlod load`; default: store_url).",
    ),
    Setting(
        "store_graph_store_url",
        "",
        "SPARQL 1.1 Graph Store Protocol endpoint of the remote store (`vestlod load`).",
    ),
    Setting(
        "store_bulk_dir",
        "",
        "`vestlod load` into Virtuoso by its bulk loader: a folder it can read (DirsAllowed).",
    ),
    Setting("store_isql", "", "Virtuoso's SQL port (host:port) for the bulk loader.", str),
    Setting("store_user", "", "User for the remote store's update endpoints.", secret=True),
    Setting(
        "store_password", "", "Password for the remote store (environment only).", secret=True
    ),
    Setting("query_workers", 0, "Forked query worker processes (0: one per CPU core).", int),
    Setting("query_fast_workers", 1,
            "More workers reserved for cheap lookups, so they never queue behind long queries "
            "(0: one lane).", int),
    Setting(
        "reload_interval",
        2.0,
        "Seconds between checks of dist/SHA256SUMS for a new build to swap in (0: never).",
        float,
    ),
    Setting(
        "license",
        "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
        "Licence IRI of the published data (DCAT catalog); described in data/catalog.yaml.",
    ),
    Setting(
        "ui_assets_dir",
        "node_modules/@zazuko/yasgui/build",
        "Folder with the YASGUI bundle (installed by `make setup` with npm).",
    ),
    Setting(
        "network_assets_dir",
        "node_modules/cytoscape/dist",
        "Folder with cytoscape.min.js for the /network diagram (installed by `make setup`).",
    ),
    Setting("max_url_bytes", 32768, "Longest request URL; more is a 414 (POST long queries).", int),
    Setting("max_header_bytes", 32768, "Largest total of request headers; more is a 431.", int),
    Setting("max_body_bytes", 1_000_000, "Largest request body; more is a 413.", int),
    Setting("cache_max_age", 60,
            "Seconds shared caches may keep an answer (0: always revalidate with the ETag).", int),
    Setting("cache_stale_while_revalidate", 300,
            "Seconds a cache may serve a stale answer while it revalidates in the background.",
            int),
    Setting("request_timeout", 10.0,
            "Seconds a client has to send a whole request (headers and body); slower is a 408.",
            float),
)

_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    base_iri: str
    data_dir: Path
    ontology_dir: Path
    shapes_dir: Path
    dist_dir: Path
    host: str
    port: int
    query_timeout: float
    result_cap: int
    cache_mb: int
    store_path: str
    service_allowlist: tuple[str, ...]
    query_workers: int = 0
    query_fast_workers: int = 1
    store_url: str = ""
    store_update_url: str = ""
    store_graph_store_url: str = ""
    store_bulk_dir: str = ""
    store_isql: str = ""
    store_user: str = field(default="", repr=False)
    store_password: str = field(default="", repr=False)
    reload_interval: float = 2.0
    ui_assets_dir: str = "node_modules/@zazuko/yasgui/build"
    network_assets_dir: str = "node_modules/cytoscape/dist"
    license: str = "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
    max_url_bytes: int = 32768
    max_header_bytes: int = 32768
    max_body_bytes: int = 1_000_000
    cache_max_age: int = 60
    cache_stale_while_revalidate: int = 300
    request_timeout: float = 10.0

    @property
    def source_path(self) -> Path:
        return self.data_dir / "source" / "annex.txt"

    @property
    def annotations_dir(self) -> Path:
        return self.data_dir / "annotations"

    @property
    def catalog_path(self) -> Path:
        return self.data_dir / "catalog.yaml"

    @property
    def local_origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def sparql_endpoint(self) -> str:
        return self.base_iri + "sparql"

    @property
    def update_endpoint(self) -> str:
        """Where `vestlod load` sends SPARQL Update (the switch of graphs)."""
        return self.store_update_url or self.store_url


#: what a value of each cast looks like once read (TOML gives typed values, the rest strings)
_TYPE_NAMES = {int: "an integer", float: "a number", str: "a string", _list: "a list of strings"}


def _coerce(setting: Setting, value: Any, where: str) -> Any:
    """Turn ``value`` (a string from the environment or a flag, or a TOML value) into the
    setting's type, or raise one ConfigError line naming the setting, the value and ``where``.

    TOML values keep their type: ``port = "8000"`` is accepted as text, ``port = true`` or
    ``port = 1.5`` are not silently turned into 1."""
    cast = setting.cast
    wanted = _TYPE_NAMES.get(cast, "a string")
    if isinstance(value, str):
        if cast is str:
            return value
        try:
            return cast(value)
        except ValueError:
            raise ConfigError(f"{where}: {setting.name} must be {wanted}, got {value!r}") from None
    if cast is _list and isinstance(value, list | tuple):
        if all(isinstance(v, str) for v in value):
            return tuple(value)
    elif cast is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    elif cast is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    elif cast not in (int, float, _list) and isinstance(value, Path):
        return value
    raise ConfigError(f"{where}: {setting.name} must be {wanted}, got {value!r}")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def env_name(setting: Setting) -> str:
    """The environment variable that sets ``setting``."""
    return "VESTLOD_" + setting.name.upper()


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    toml_path: Path | None = None,
) -> Settings:
    """Build the frozen settings; ``environ`` defaults to ``os.environ`` (tests pass their own)."""
    return _resolve(overrides, environ, toml_path)[0]


def _resolve(
    overrides: Mapping[str, Any] | None,
    environ: Mapping[str, str] | None,
    toml_path: Path | None,
) -> tuple[Settings, dict[str, str]]:
    """The settings and, per name, where its value came from (default, a file, env, flag)."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {s.name: s.default for s in SETTINGS}
    source = {s.name: "default" for s in SETTINGS}

    path = toml_path or Path(env.get("VESTLOD_CONFIG", "vestlod.toml"))
    if path.is_file():
        for key, value in _read_toml(path).items():
            if key not in _BY_NAME:
                raise ConfigError(f"{path}: unknown setting {key!r}")
            if _BY_NAME[key].secret:
                raise ConfigError(f"{path}: {key} may only come from {env_name(_BY_NAME[key])}")
            values[key] = _coerce(_BY_NAME[key], value, str(path))
            source[key] = str(path)

    for setting in SETTINGS:
        key = env_name(setting)
        if key in env:
            values[setting.name] = _coerce(setting, env[key], key)
            source[setting.name] = key

    for key, value in (overrides or {}).items():
        if value is None:
            continue
        if key not in _BY_NAME:
            raise ConfigError(f"unknown setting {key!r}")
        if _BY_NAME[key].secret:
            raise ConfigError(f"{key} may only come from {env_name(_BY_NAME[key])}")
        values[key] = _coerce(_BY_NAME[key], value, "command line")
        source[key] = "command line"

    base = str(values["base_iri"])
    if not base.startswith(("http://", "https://")) or not base.endswith("/"):
        raise ConfigError(f"base_iri must be an http(s) IRI ending in '/': {base!r}")

    for name in ("data_dir", "ontology_dir", "shapes_dir", "dist_dir"):
        values[name] = Path(values[name])
    names = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in values.items() if k in names}), source


@dataclass(frozen=True)
class SettingRow:
    """One line of `vestlod settings`: what a setting is, its default, and what it is now."""

    name: str
    env: str
    default: str
    current: str
    source: str
    help: str


def _shown(setting: Setting, value: Any) -> str:
    if setting.secret:
        return "(set)" if value else ""
    if isinstance(value, tuple):
        return ",".join(value)
    return str(value)


def describe_settings(
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    toml_path: Path | None = None,
) -> list[SettingRow]:
    """Every setting with its default, environment variable and current value (secrets
    masked), in table order: what `vestlod settings` prints and the README documents."""
    settings, source = _resolve(overrides, environ, toml_path)
    return [
        SettingRow(s.name, env_name(s), _shown(s, s.default),
                   _shown(s, getattr(settings, s.name)), source[s.name], s.help)
        for s in SETTINGS
    ]


def settings_markdown() -> str:
    """The README's settings table (defaults only: the same on every machine)."""
    lines = ["| setting | environment variable | default | what |", "|---|---|---|---|"]
    for s in SETTINGS:
        default = _shown(s, s.default)
        shown = f"`{default}`" if default else "(empty)"
        lines.append(f"| `{s.name}` | `{env_name(s)}` | {shown} | {s.help.replace('|', '/')} |")
    return "\n".join(lines) + "\n"
