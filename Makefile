# Sunshine 阳光交易 — the two commands of the README, and a few more for developers.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SUNSHINE := $(BIN)/sunshine
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test fuzz install install-test serve lint bench bench-bidding bench-load bench-signing bench-draws clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

## make demo: install, migrate, load demo data (idempotent) and serve on http://$(HOST):$(PORT)
demo: install
	$(SUNSHINE) db upgrade
	$(SUNSHINE) demo-data
	$(SUNSHINE) serve --host $(HOST) --port $(PORT)

## make test: the whole suite on SQLite, then on PostgreSQL when SUNSHINE_TEST_POSTGRES_URL is set (without the
## modules that never touch a database, tests/conftest.py NO_DATABASE_MODULES).
## Tests run in TEST_WORKERS processes (pytest-xdist, one test module per worker at a time; each worker
## has its own SQLite file, or its own PostgreSQL database created beside SUNSHINE_TEST_POSTGRES_URL,
## whose user must be allowed to CREATE DATABASE); the 15 slowest tests are listed after each run.
TEST_WORKERS ?= auto
PYTEST_ARGS ?= -q -n $(TEST_WORKERS) --dist loadfile --durations=15
test: install-test
	@echo "== SQLite"
	SUNSHINE_TEST_BACKEND=sqlite $(BIN)/pytest $(PYTEST_ARGS)
	@if [ -n "$$SUNSHINE_TEST_POSTGRES_URL" ]; then \
		echo "== PostgreSQL: $$SUNSHINE_TEST_POSTGRES_URL"; \
		SUNSHINE_TEST_BACKEND=postgres $(BIN)/pytest $(PYTEST_ARGS); \
	else \
		echo "== PostgreSQL: NOT RUN, SUNSHINE_TEST_POSTGRES_URL is not set (only SQLite was tested)"; \
	fi
	$(MAKE) test-standby
	$(MAKE) fuzz

## make test-standby: reads routed to a read replica, against a streaming standby of the PostgreSQL test server
## that the test starts (as root; pg_basebackup, a free port) and removes; skips, saying why, where it cannot
.PHONY: test-standby
test-standby: install-test
	@if [ -n "$$SUNSHINE_TEST_POSTGRES_URL" ]; then \
		echo "== PostgreSQL read replica (a streaming standby started for the test)"; \
		SUNSHINE_TEST_BACKEND=postgres $(BIN)/pytest -q -p no:cacheprovider -m standby tests/reliability/test_read_replicas.py; \
	else \
		echo "== PostgreSQL read replica: NOT RUN, SUNSHINE_TEST_POSTGRES_URL is not set"; \
	fi

## make fuzz: schemathesis over every API operation, anonymous and as three roles, against a served instance
## on SQLite (and on PostgreSQL when SUNSHINE_TEST_POSTGRES_URL is set and FUZZ_POSTGRES=1); no input may
## answer 5xx. FUZZ_SECONDS is the budget per caller; FUZZ_CHECKS=all for a longer local pass.
FUZZ_SECONDS ?= 30
FUZZ_CHECKS ?= not_a_server_error
fuzz: install-test
	@echo "== Schemathesis, SQLite ($(FUZZ_SECONDS) s per caller)"
	SUNSHINE_TEST_BACKEND=sqlite FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_CHECKS=$(FUZZ_CHECKS) \
		$(BIN)/pytest -q -p no:cacheprovider -m fuzz tests/fuzz
	@if [ -n "$$SUNSHINE_TEST_POSTGRES_URL" ] && [ -n "$$FUZZ_POSTGRES" ]; then \
		echo "== Schemathesis, PostgreSQL"; \
		SUNSHINE_TEST_BACKEND=postgres FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_CHECKS=$(FUZZ_CHECKS) \
			$(BIN)/pytest -q -p no:cacheprovider -m fuzz tests/fuzz; \
	fi

serve: install
	$(SUNSHINE) serve --host $(HOST) --port $(PORT)

lint: install-test
	$(BIN)/ruff check src tests bench

bench: install-test
	$(BIN)/python bench/ledger.py

## make bench-bidding: sealed bids — deadline spike over HTTP, opening (PostgreSQL too with SUNSHINE_TEST_POSTGRES_URL);
## extra options in BENCH_ARGS, e.g. BENCH_ARGS="--quick --auction"
bench-bidding: install-test
	$(BIN)/python bench/bidding.py $(BENCH_ARGS)

## make bench-signing: what verifying a signed bid costs (Ed25519, SM2) against hashing the same ciphertext
bench-signing: install-test
	$(BIN)/python bench/signing.py $(BENCH_ARGS)

## make bench-draws: one publicly verifiable draw (engine and replay against hashing the same bytes), then a committee
## draw over a real pool of 100,000 experts phase by phase on SQLite, then PostgreSQL when SUNSHINE_TEST_POSTGRES_URL
## is set; extra options in BENCH_ARGS, e.g. BENCH_ARGS="--sizes 1000 --pool 20000 --rounds 3 --db-sizes 1000"
bench-draws: install-test
	$(BIN)/python bench/draws.py $(BENCH_ARGS)

## make bench-load: 64 clients on pages, API reads and writes for 30 s against a real server over the demo data,
## on SQLite, then PostgreSQL when SUNSHINE_TEST_POSTGRES_URL is set; extra options in BENCH_ARGS, e.g.
## BENCH_ARGS="--clients 16 --seconds 10"
bench-load: install-test
	$(BIN)/python bench/load.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache
