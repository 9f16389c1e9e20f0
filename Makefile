# argmap: `make diagram` builds claims.yaml into out/; `make test` runs the tests.
# Both set themselves up on a fresh machine: a .venv with argmap, and Graphviz's dot.
PYTHON ?= python3
MAP ?= claims.yaml
OUT ?= out
PORT ?= 8000
SINCE ?=
VENV ?= .venv
BIN := $(VENV)/bin

# The tests run in parallel, one process per core at most 8 (pytest-xdist), each test file in
# one process (its module fixtures built once); TEST_JOBS=0 runs them all in this process.
TEST_JOBS ?= auto
XDIST = $(if $(filter 0,$(TEST_JOBS)),-p no:xdist,-n $(TEST_JOBS) --maxprocesses 8 --dist loadfile)

.PHONY: diagram check watch test test-slow lint format clean docs bench fuzz help
.DEFAULT_GOAL := help

help:
	@echo "make diagram   build $(MAP) into $(OUT)/ (argmap.svg, argmap.png, brief.html, ...)"
	@echo "               SINCE=REV marks in the brief what changed since git revision REV"
	@echo "make check     validate $(MAP) and list every error and warning"
	@echo "make watch     rebuild $(MAP) on every save; the brief live at http://127.0.0.1:$(PORT)/"
	@echo "make test      run the test suite (sets up .venv, Graphviz, Chromium) on every core; leaves out"
	@echo "               the slow tests. TEST_JOBS=0: in one process; PYTEST_ARGS='-k NAME' picks tests"
	@echo "make test-slow the slow tests only: property tests' long runs through the real dot (CI runs both)"
	@echo "make lint      ruff and mypy --strict"
	@echo "make docs      regenerate the README pictures under docs/ (brief, claim card, printed page: 1280 and 390 px)"
	@echo "make bench     time builds of 100 to 10,000 points (cold, warm), a 10,000-point brief in Chromium, watch, pivotal points,"
	@echo "               hostile-map goals, check on hostile maps, import of 10,000-point Argdown, AIF, xAIF, Kialo files,"
	@echo "               judging (bare denials, weighing, positions) at 1,000 and 10,000 points,"
	@echo "               argmap lsp's diagnostics after a change (seed, 1,000 points)"
	@echo "make fuzz      coverage-guided fuzzing (atheris) of every reader of untrusted bytes,"
	@echo "               FUZZ_SECONDS per target (default 20), or until FUZZ_RUNS inputs; FUZZ_TARGETS='claims argdown'"
	@echo "               picks targets; findings in fuzz/work/TARGET/"
	@echo "make clean     remove generated files (out/, caches; keeps .venv)"

# argmap with watch's package, so that `argmap watch` (and `argmap new`'s next steps) run in
# the same .venv that `make diagram` sets up
$(VENV)/.runtime: pyproject.toml
	@PYTHON=$(PYTHON) scripts/bootstrap watch
	@touch $@ $(VENV)/.watch

$(VENV)/.dev: pyproject.toml
	@PYTHON=$(PYTHON) scripts/bootstrap dev,browser
	@touch $@ $(VENV)/.runtime $(VENV)/.watch

$(VENV)/.fuzz: pyproject.toml
	@PYTHON=$(PYTHON) scripts/bootstrap dev,fuzz
	@touch $@ $(VENV)/.runtime

$(VENV)/.watch: pyproject.toml
	@PYTHON=$(PYTHON) scripts/bootstrap watch
	@touch $@ $(VENV)/.runtime

diagram: $(VENV)/.runtime
	@scripts/ensure-dot || true
	@$(BIN)/argmap build $(MAP) -o $(OUT)$(if $(SINCE), --since '$(SINCE)')

check: $(VENV)/.runtime
	@$(BIN)/argmap check $(MAP)

watch: $(VENV)/.watch
	@scripts/ensure-dot || true
	@$(BIN)/argmap watch $(MAP) -o $(OUT) --port $(PORT)

test: $(VENV)/.dev
	@scripts/ensure-dot || true
	@scripts/ensure-browser
	@scripts/ensure-argdown
	@scripts/ensure-neovim
	@$(BIN)/python -m pytest -m "not slow" $(XDIST) $(PYTEST_ARGS)

test-slow: $(VENV)/.dev
	@scripts/ensure-dot || true
	@$(BIN)/python -m pytest -m slow tests $(XDIST) $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check argmap tests scripts
	$(BIN)/mypy

format: $(VENV)/.dev
	$(BIN)/ruff format argmap tests scripts
	$(BIN)/ruff check --fix .

docs: $(VENV)/.dev
	@scripts/ensure-dot || true
	@scripts/ensure-browser
	@$(BIN)/python scripts/make_docs.py

clean:
	rm -rf $(OUT)/argmap.* $(OUT)/brief.html $(OUT)/.cache .pytest_cache .mypy_cache .ruff_cache build dist
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

bench: $(VENV)/.dev
	@scripts/ensure-dot || true
	@scripts/ensure-browser
	@$(BIN)/python scripts/bench.py
	@$(BIN)/python scripts/bench_brief.py --nodes 10000 --runs 1
	@$(BIN)/python scripts/bench_watch.py
	@$(BIN)/python scripts/bench_import.py
	@$(BIN)/python scripts/bench_limits.py
	@$(BIN)/python scripts/bench_pivotal.py
	@$(BIN)/python scripts/bench_judgement.py
	@$(BIN)/python scripts/bench_check.py
	@$(BIN)/python scripts/bench_lsp.py

FUZZ_SECONDS ?= 20
FUZZ_RUNS ?= 0
fuzz: $(VENV)/.fuzz
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS) $(BIN)/python -m fuzz $(FUZZ_TARGETS)
