# The two commands of the README: `make run` and `make test`. Everything else is optional.
CARGO ?= cargo

.PHONY: run test bench build fmt clippy

## Start chatd on the embedded store in ./data (http://127.0.0.1:8080).
run:
	$(CARGO) run --release -p chatd-server --bin chatd -- serve

## Format check, clippy with warnings as errors, then every test of the workspace.
test:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) test --workspace

## Quality bars of SPEC §7, each next to a baseline measured in the same run.
bench:
	$(CARGO) run --release -p chatd-bench --bin chatd-bench -- $(BENCH_ARGS)

build:
	$(CARGO) build --workspace --all-targets

fmt:
	$(CARGO) fmt --all

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings
