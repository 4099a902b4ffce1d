# Everything runs inside .venv, created on first use.
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: install demo test test-slow test-ntrex lint check
.DEFAULT_GOAL := demo

$(BIN)/newsflow: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# torch: keep a build that is already installed (a CUDA build on a GPU machine, say);
	# otherwise pin the release whose CPU build this project's machines carry locally
	# (on a GPU machine the same pin fetches the CUDA build from PyPI).
	$(BIN)/python -c "import torch" 2>/dev/null || $(BIN)/pip install "torch==2.13.0"
	$(BIN)/pip install -e ".[dev,fast]"
	touch $(BIN)/newsflow

install: $(BIN)/newsflow

demo: install  ## translate the sample articles in data/ with the default models
	$(BIN)/newsflow run data/samples data/web --output output

test: install  ## the fast tests (need nothing beside the repository)
	$(BIN)/pytest -m "not slow and not ntrex" -q

test-slow: install  ## real Prefect server + worker, Dask cluster, subprocess runs
	$(BIN)/pytest -m "slow and not ntrex" -q

test-ntrex: install  ## measurements on the full NTREX-128 in ../shared (NEWSFLOW_SHARED_DIR)
	$(BIN)/pytest -m ntrex -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
