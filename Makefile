# The two commands of the README: `make run` and `make test`. Everything else is optional.
CARGO ?= cargo

.PHONY: run demo test bench build fmt clippy client client-test browser-test

CLIENT := clients/typescript
# Where cargo builds: CARGO_TARGET_DIR when set, else ./target.
TARGET_DIR := $(abspath $(or $(CARGO_TARGET_DIR),target))
NODE := $(shell command -v node 2>/dev/null)

## Start chatd on the embedded store in ./data (http://127.0.0.1:8080).
run:
	$(CARGO) run --release -p chatd-server --bin chatd -- serve

## A living desk: fill ./demo-data with a demo shop (once), then serve it with a demo
## integration that acknowledges deliveries, marks them read and lets customers write.
demo:
	$(CARGO) build --release -p chatd-server --bin chatd
	target/release/chatd demo --live --data-dir demo-data

## Format check, clippy with warnings as errors, every test of the workspace, then the
## TypeScript client's tests against the chatd just built (when Node.js is present).
test:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) test --workspace
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || [ -n "$$CHATD_PG_BIN" ] \
	  || echo "NOT RUN: the PostgreSQL store tests (crates/store/tests/postgres_*.rs, tests/api/postgres.rs) and the three-node cluster test (crates/server/tests/cluster.rs), store copy and crash tests need PostgreSQL: apt-get install postgresql (.ci/run does)"
	@command -v chromedriver >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1 \
	  || echo "NOT RUN: the console's browser test (tests/browser/) needs chromium and chromedriver: apt-get install chromium chromium-driver (.ci/run does)"
	@$(MAKE) --no-print-directory client-test

## The TypeScript client (clients/typescript): schema validators, generated types, a real chatd.
client-test:
ifeq ($(NODE),)
	@echo "NOT RUN: Node.js is not installed, so the TypeScript client's tests (clients/typescript) did not run. Install Node.js 20+ and run make client-test."
else
	$(CARGO) test --workspace --no-run
	cd $(CLIENT) && { [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; }
	cd $(CLIENT) && CHATD_BIN=$(TARGET_DIR)/debug/chatd node $$(node -e 'process.stdout.write(typeof WebSocket === "undefined" ? "--experimental-websocket" : "")') --test test/
endif

## Regenerate the client's types from api-schema/ (after the schemas change).
client:
	cd $(CLIENT) && npm ci --no-audit --no-fund && node scripts/generate.mjs

## Quality bars of SPEC §7, each next to a baseline measured in the same run.
bench:
	$(CARGO) run --release -p chatd-bench --bin chatd-bench -- $(BENCH_ARGS)

build:
	$(CARGO) build --workspace --all-targets

fmt:
	$(CARGO) fmt --all

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings
