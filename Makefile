# AE Workbench: build, run and test.
#
#   make run      build .venv from the committed lock file (first use only) and open the demo portfolio
#   make test     the same environment; system packages, lint, then the whole test suite (.ci/run calls this)
#
# Other targets: venv, sysdeps, lint, bench, lock, clean. Variables: PYTHON (interpreter that builds .venv,
# default python3, must be >= 3.11), PYTEST_ARGS (passed to pytest), BENCH_ARGS, LOCK_ARGS (e.g. --upgrade).

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP := $(BIN)/python -m pip --disable-pip-version-check
# Drops pip's "Location 'file:///...' is ignored" notes about empty local indexes some machines configure;
# everything else (errors included) still shows, and pip's exit code still counts (pipefail).
QUIET_PIP := sed -u "/^WARNING: Location 'file:.*' is ignored/d"

PYTEST_ARGS ?=
BENCH_ARGS ?=
LOCK_ARGS ?=
# uv is only needed by `make lock`, in a throwaway venv; pin it here to make lock runs reproducible.
UV_SPEC ?= uv

.PHONY: help venv run sysdeps lint test bench lock clean

help:
	@sed -n '3,8p' Makefile | sed 's/^# \{0,1\}//'

# --- environment --------------------------------------------------------------------------------------------

venv: $(STAMP)

# Rebuilt when the lock file or pyproject changes. A .venv made by another (or a vanished) interpreter is
# cleared first; otherwise the install is incremental. The stamp is touched only after everything succeeded,
# so an interrupted install is retried by the next make.
$(STAMP): requirements.lock pyproject.toml
	@if ! command -v $(PYTHON) >/dev/null 2>&1; then \
	    echo "error: '$(PYTHON)' not found. AE Workbench needs Python >= 3.11: run e.g. 'make PYTHON=python3.11 ...'" >&2; \
	    exit 1; \
	fi
	@if ! $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then \
	    echo "error: AE Workbench needs Python >= 3.11, but '$(PYTHON)' is $$($(PYTHON) --version 2>&1)." \
	         "Run e.g. 'make PYTHON=python3.11 ...'" >&2; \
	    exit 1; \
	fi
	@want=$$($(PYTHON) -c 'import sys; print(sys.version_info[:2])'); \
	have=$$($(BIN)/python -c 'import sys; print(sys.version_info[:2])' 2>/dev/null || true); \
	if [ -d $(VENV) ] && [ "$$want" != "$$have" ]; then \
	    echo "==> $(VENV) was made by another interpreter; recreating it"; \
	    $(PYTHON) -m venv --clear $(VENV); \
	else \
	    $(PYTHON) -m venv $(VENV); \
	fi
	@echo "==> installing requirements.lock into $(VENV) with $$($(BIN)/python --version)"
	@$(PIP) install -q --require-hashes -r requirements.lock 2>&1 | $(QUIET_PIP)
	@echo "==> installing ae-workbench (editable)"
	@$(PIP) install -q --no-deps -e . 2>&1 | $(QUIET_PIP)
	@touch $@

# Debian packages the tests need (PostgreSQL server, Qt runtime libraries, poppler-utils). A no-op when all are
# present; installs the missing ones when root; only warns otherwise.
sysdeps:
	@bash tests/support/install-system-deps.sh

# --- everyday targets ---------------------------------------------------------------------------------------

run: venv
	$(BIN)/ae-workbench --demo

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# Lint first (fail fast), then pytest. pytest's exit code 5 ("no tests collected", e.g. a PYTEST_ARGS filter
# that matches nothing) is reported but not treated as a failure.
test: venv sysdeps lint
	@rc=0; QT_QPA_PLATFORM=offscreen $(BIN)/pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "warning: pytest collected no tests" >&2; rc=0; fi; \
	exit $$rc

bench: venv
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

# --- maintenance --------------------------------------------------------------------------------------------

# Regenerate requirements.lock after editing the dependencies in pyproject.toml. uv (from PyPI) runs in a
# throwaway venv, so neither .venv nor the machine is touched. Versions already in the lock are kept unless
# you ask for newer ones: `make lock LOCK_ARGS=--upgrade` (or `LOCK_ARGS="--upgrade-package reportlab"`).
# The lock is universal (every platform, Python >= 3.11) with hashes; commit it together with pyproject.toml.
lock:
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install -q --disable-pip-version-check "$(UV_SPEC)" 2>&1 | $(QUIET_PIP); \
	"$$tmp/venv/bin/uv" --version; \
	"$$tmp/venv/bin/uv" pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
	    --generate-hashes --quiet -o requirements.lock $(LOCK_ARGS)
	@echo "==> requirements.lock regenerated; run 'make venv' to install it"

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis .import_linter_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
