# vestlod: two commands on a fresh machine with Python 3.11 and make.
#   make run   set up .venv from requirements.lock, build, validate, serve
#   make test  set up .venv, run the whole test suite
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
UI     := node_modules/.vestlod-ui
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: setup build validate run serve test test-fast lint bench bench-scale clean harvest-env store-env browser-env bench-env web-env

setup: $(STAMP) $(UI)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $(STAMP)

# Browser assets and test tools from npm, pinned in package-lock.json, installed, not committed:
# the query UI bundle (@zazuko/yasgui), the network diagram (cytoscape), and for the
# accessibility test axe-core driven by playwright-core (which uses the Chromium of
# browser-env and downloads no browser). Without npm the server still runs: the UI page says
# the bundle is missing, /network shows its table, the accessibility test skips.
$(UI): package.json package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && touch $(UI) \
	    || echo "warning: npm ci failed, the query UI will show a plain form"; \
	else echo "warning: npm not found, the query UI will show a plain form"; fi

# ckanext-dcat (a real CKAN harvester's parser) pins packages that clash with ours, so it gets its
# own environment; tests/test_harvest.py uses it when present (CI creates it, see .ci/run).
HARVEST := build/harvest-venv
harvest-env: $(HARVEST)/.installed
$(HARVEST)/.installed: requirements-harvest.lock
	@test -x $(HARVEST)/bin/python || $(PYTHON) -m venv $(HARVEST)
	$(HARVEST)/bin/pip install --quiet -r requirements-harvest.lock
	@touch $@

# System packages from Debian, installed by the project itself (CI runs these targets):
# $(call apt_install,command that shows it is there,package,what skips without it).
# A no-op when installed; where apt is missing or fails (no root, no network) it only warns.
define apt_install
	@if command -v $(1) >/dev/null; then \
	  echo "$(2) already installed"; \
	elif ! command -v apt-get >/dev/null; then \
	  echo "warning: no apt-get; $(3) (install $(2))"; \
	else \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  ( $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive \
	    $$SUDO apt-get install -y -q $(2) ) \
	    || echo "warning: apt-get could not install $(2); $(3)"; \
	fi
endef

# Virtuoso 7 for tests/test_remote_store.py and bench-scale.
store-env:
	$(call apt_install,isql-vt,virtuoso-opensource,the remote-store tests will skip)

# Headless Chromium for the query-UI and page screenshot tests.
browser-env:
	$(call apt_install,chromium,chromium,the browser tests will skip)

# Apache httpd (mod_rewrite) for the w3id.org redirect test and nginx for the replicas recipe
# (tests/deploy/). Installed, never started as services: the tests run their own on loopback.
web-env:
	$(call apt_install,apache2,apache2,the w3id/Apache test will skip)
	$(call apt_install,nginx,nginx,the nginx replicas test will skip)

# wrk, a C load generator, for the label-lookup latency in make bench: the Python client shares
# the 2 cores with the server and inflates the tail it measures.
bench-env:
	$(call apt_install,wrk,wrk,make bench reports the Python client only)

build: $(STAMP)
	$(BIN)/vestlod build

validate: $(STAMP)
	$(BIN)/vestlod validate

run: build $(UI)
	$(BIN)/vestlod serve --host $(HOST) --port $(PORT)

test: $(STAMP) $(UI) lint
	$(BIN)/python -m pytest

# The inner loop: everything but the slow (fuzzing, load, Virtuoso) and browser tests.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser"

lint: $(STAMP)
	$(BIN)/ruff check publish tests bench data
	$(BIN)/mypy

bench: $(STAMP) bench-env
	$(BIN)/python -m bench

# Cost against data size, both stores: JSON + log-log plot in bench/results/ (SIZES=10000,...).
SIZES ?= 10000,100000,1000000
bench-scale: $(STAMP) store-env
	$(BIN)/python -m bench.scale --sizes $(SIZES)

clean:
	rm -rf dist build *.egg-info
