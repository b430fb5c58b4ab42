# The README's two commands: `make run` and `make test`. Everything they need, they install.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
KG     := $(BIN)/kg

.PHONY: run test setup assets browser lint lint-cypher lint-python clean stop bench neo4j-jars neo4j-up neo4j-down

HEADLINE := build/reports/automotive-exposure.html
ASSETS   := kg/browse_assets/index.html
WEB_SOURCES := $(wildcard web/*.mjs web/*.html web/src/*)

# The main job: the embedded server, the bundled ontology and dataset, and the headline report (the automotive
# sector's dependencies on materials that one country dominates), printed and written as HTML.
run: $(VENV)/.installed $(ASSETS)
	$(KG) db start
	$(KG) load
	$(KG) db status
	$(KG) report exposure --sector automotive --max-rows 25
	@mkdir -p $(dir $(HEADLINE))
	$(KG) report exposure --sector automotive --format html --output $(HEADLINE)
	@echo "The headline report as HTML: $(HEADLINE) (open it in a browser; it works offline)"
	@echo "Explore the graph in a web page: $(KG) browse --open"

test: $(VENV)/.installed node_modules/.installed $(ASSETS) browser
	$(MAKE) lint
	$(BIN)/pytest -q

setup: $(VENV)/.installed node_modules/.installed $(ASSETS)

# The graph browser's front end (`kg browse`): npm packages bundled by esbuild into the package, so the wheel carries
# them and works offline.
assets: $(ASSETS)

$(ASSETS): node_modules/.installed $(WEB_SOURCES)
	node web/build.mjs

# The end-to-end test of `kg browse` drives Debian's Chromium. As root, install it; otherwise say what to install
# (the test then skips, except with CI=true, where a missing browser fails the suite).
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian's chromium for the browser tests"; \
		(DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 || \
		  (apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)) || \
		echo "could not install chromium; the end-to-end test of kg browse needs it"; \
	else echo "the end-to-end test of kg browse needs Chromium: install it (Debian/Ubuntu: sudo apt-get install chromium)"; fi

lint: lint-python lint-cypher

lint-python: $(VENV)/.installed
	$(BIN)/ruff check kg loaders tests benchmarks tools hatch_build.py
	$(BIN)/mypy
	$(BIN)/lint-imports

lint-cypher: node_modules/.installed
	node tools/lint-cypher.mjs

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "crm-kg needs Python 3.11 or newer (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	@node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' || (echo "crm-kg's Cypher linter needs Node 20 or newer" && exit 1)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

stop: $(VENV)/.installed
	$(KG) db stop

bench: $(VENV)/.installed
	@ls benchmarks/*.py | xargs -n1 $(BIN)/python

clean:
	rm -rf $(VENV) node_modules build dist *.egg-info kg/browse_assets

# A throwaway Neo4j Community 5.26 for tests and benchmarks (GPL-3.0: fetched, never bundled). `make neo4j-jars`
# fetches its jars from Maven Central once (tools/neo4j/pom.xml); `make neo4j-up` starts tools/neo4j/Launcher.java
# detached on build/neo4j/data (127.0.0.1, a free port, a generated password) and writes build/neo4j/env, so that
# `set -a; . build/neo4j/env; set +a` points kg at it; `make neo4j-down` stops it and removes its data.
# tests/neo4j_harness.py does the starting and stopping, for these targets and for test fixtures alike.

NEO4J_DIR   := build/neo4j
NEO4J_STAMP := $(NEO4J_DIR)/lib/.fetched

neo4j-jars: $(NEO4J_STAMP)

$(NEO4J_STAMP): tools/neo4j/pom.xml
	@command -v java >/dev/null 2>&1 || { echo "make neo4j-jars needs a JDK 17 or newer: install one (Debian/Ubuntu: sudo apt-get install openjdk-17-jdk-headless)"; exit 1; }
	@command -v mvn >/dev/null 2>&1 || { echo "make neo4j-jars needs Maven: install it (Debian/Ubuntu: sudo apt-get install maven)"; exit 1; }
	rm -rf $(NEO4J_DIR)/lib
	mvn -q -B -Dstyle.color=never -f tools/neo4j/pom.xml dependency:copy-dependencies -DoutputDirectory=$(CURDIR)/$(NEO4J_DIR)/lib
	touch $@

neo4j-up: $(NEO4J_STAMP)
	@$(PYTHON) tests/neo4j_harness.py up $(NEO4J_DIR)

neo4j-down:
	@$(PYTHON) tests/neo4j_harness.py down $(NEO4J_DIR)
