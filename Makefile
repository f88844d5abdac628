# ccm-graph: the two quick-start commands and a few helpers.
# `make demo` installs into .venv and runs the main job on the seed files (no server needed).
# `make test` installs everything the tests need (Python packages, Neo4j from Maven Central,
# Chromium for the map tests when present) and runs the whole suite against a real Neo4j.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint neo4j-start neo4j-stop benchmark clean

$(BIN)/ccm-graph: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: $(BIN)/ccm-graph
	$(BIN)/ccm-graph demo

test: $(BIN)/ccm-graph
	$(BIN)/python -m ccm_graph.localserver install
	scripts/install-browser
	$(BIN)/python -m pytest

lint: $(BIN)/ccm-graph
	$(BIN)/ruff check ccm_graph tests benchmarks
	$(BIN)/ruff format --check ccm_graph tests benchmarks

neo4j-start: $(BIN)/ccm-graph
	scripts/neo4j-local start

neo4j-stop:
	scripts/neo4j-local stop

benchmark: $(BIN)/ccm-graph
	$(BIN)/python benchmarks/load_benchmark.py
	$(BIN)/python benchmarks/analysis_benchmark.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
