# recon: `make demo` runs the month-end reconciliation over data/samples/,
# `make test` runs the test suite. Both set everything up first.
SHELL := /bin/bash
DEMO_DB ?= sqlite:///out/demo.db
SAMPLES := data/samples/pos data/samples/receipts data/samples/invoices data/samples/bad

.PHONY: setup demo test lint typecheck bench samples clean help

help:
	@echo "make setup   install system packages, uv and the Python environment (.venv)"
	@echo "make demo    month-end reconciliation over data/samples/ on SQLite, with the report"
	@echo "make test    the whole test suite, on SQLite and PostgreSQL"
	@echo "make lint    ruff and mypy --strict"
	@echo "make bench   accuracy and speed on data/samples/"
	@echo "make samples regenerate data/samples/ (deterministic)"

setup:
	@scripts/setup-system.sh
	@uv=$$(scripts/ensure-uv.sh) && "$$uv" sync --frozen --quiet
	@test -x .venv/bin/recon && echo "environment ready: .venv/bin/recon"

demo: setup
	@mkdir -p out && rm -f out/demo.db out/demo.db-wal out/demo.db-shm
	.venv/bin/recon --db $(DEMO_DB) init
	.venv/bin/recon --db $(DEMO_DB) --engine prefect month-end $(SAMPLES)
	@.venv/bin/recon --db $(DEMO_DB) report --format xlsx --output out/discrepancies.xlsx >/dev/null
	@.venv/bin/recon --db $(DEMO_DB) report --format html --output out/discrepancies.html >/dev/null
	@.venv/bin/recon --db $(DEMO_DB) export --output out/state.json
	@echo "also written: out/discrepancies.xlsx, out/discrepancies.html, out/state.json"

test: setup
	@scripts/ensure-postgres.sh
	.venv/bin/python -m pytest

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

bench: setup
	.venv/bin/python bench/accuracy.py

samples: setup
	.venv/bin/python data/samples/generate.py

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
