# gnvtools front door. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install reports test lint typecheck lab bench lock wheel clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	# an editable install skips data files: register the nbconvert template as a wheel would
	mkdir -p $(VENV)/share/jupyter/nbconvert/templates
	rm -rf $(VENV)/share/jupyter/nbconvert/templates/gnvmemo
	cp -R gnvtools/templates/gnvmemo $(VENV)/share/jupyter/nbconvert/templates/gnvmemo
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

install: $(STAMP) ## create .venv from the lock file

reports: $(STAMP) ## render every example report (HTML, PDF if a browser is found, Excel, manifest) into outputs/
	$(BIN)/gnv build --workers 2 --out outputs

test: lint ## lint, type-check and run the whole test suite
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint: $(STAMP) ## ruff lint + format check, mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

lab: $(STAMP) ## open JupyterLab at the project root (gnv lab)
	$(BIN)/gnv lab .

bench: $(STAMP) ## run the speed benchmark
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/bench_keys.py

lock: ## re-resolve requirements.lock from pyproject.toml
	$(PYTHON) -m pip install --quiet uv
	$(PYTHON) -m uv pip compile pyproject.toml --extra dev --extra pdf --extra lab --universal --generate-hashes --python-version 3.11 -o requirements.lock

# The wheel is built from a copy of the sources in a temporary folder: pip builds in the
# source tree and would leave build/ and gnvtools.egg-info behind in the checkout.
DIST ?= dist
wheel: ## build the wheel into dist/ (the checkout stays clean)
	rm -rf "$(DIST)"
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	tar --exclude=./.git --exclude=./.venv --exclude=./outputs --exclude=./dist \
	    --exclude=./build --exclude='*.egg-info' --exclude='__pycache__' \
	    --exclude=./.mypy_cache --exclude=./.ruff_cache --exclude=./.pytest_cache \
	    --exclude=./.hypothesis -cf - . | tar -C "$$tmp" -xf - && \
	$(PYTHON) -m pip wheel --quiet --no-deps --wheel-dir "$(abspath $(DIST))" "$$tmp"
	@ls "$(DIST)"/gnvtools-*.whl

clean: ## remove outputs and the environment
	rm -rf outputs $(VENV)
