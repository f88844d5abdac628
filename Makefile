# ccm-graph: the two quick-start commands and a few helpers.
# `make demo` installs ccm-graph alone into .venv (what the main job needs, nothing more) and
# runs the main job on the seed files (no server needed).
# `make test` adds the development tools (pytest, linters, browser driver), installs Neo4j from
# Maven Central, Chromium for the map and workbench tests and axe-core (npm ci) for the
# accessibility tests, and runs the whole suite against a real Neo4j.
# `make lint` runs ruff (check and format), mypy and, when present, scripts/lint-js.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint neo4j-start neo4j-stop benchmark clean

DEV := $(VENV)/.dev-installed

# pip -qq: setuptools' notice about editable installs is not for users; errors still show.
$(BIN)/ccm-graph: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install -qq -e .
	touch $@

$(DEV): $(BIN)/ccm-graph pyproject.toml
	$(BIN)/python -m pip install -qq -e '.[dev]'
	touch $@

demo: $(BIN)/ccm-graph
	$(BIN)/ccm-graph demo

test: $(DEV)
	$(BIN)/python -m ccm_graph.localserver install
	scripts/install-browser
	scripts/install-axe
	$(BIN)/python -m pytest

lint: $(DEV)
	$(BIN)/ruff check ccm_graph tests benchmarks scripts
	$(BIN)/ruff format --check ccm_graph tests benchmarks scripts
	$(BIN)/mypy
	if [ -x scripts/lint-js ]; then scripts/lint-js; fi

neo4j-start: $(BIN)/ccm-graph
	scripts/neo4j-local start

neo4j-stop:
	scripts/neo4j-local stop

benchmark: $(DEV)
	$(BIN)/python benchmarks/load_benchmark.py
	$(BIN)/python benchmarks/analysis_benchmark.py
	$(BIN)/python benchmarks/startup_benchmark.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache build *.egg-info
