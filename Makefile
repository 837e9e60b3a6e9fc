# The front door. `make run` serves a demo board; `make test` runs every test tier.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The services tier's own database and Redis db number: never anything it did not create.
TEST_DB ?= rs_test_$(shell id -un)
TEST_REDIS_DB ?= 11

.PHONY: run worker test lint format test-unit test-services test-system test-faults test-frontend \
	test-node test-e2e test-security test-bench-smoke bench install install-mysql clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	@# A local .env (DJANGO_DEBUG=1, generated keys) when there is none. Every step below reads
	@# only that, as a `manage.py` command in a second terminal does: what works here works there.
	$(BIN)/python scripts/write-local-env.py
	$(BIN)/python manage.py migrate --noinput
	@# Also writes .gz and .br beside each file, which the server sends compressed.
	$(BIN)/python manage.py collectstatic --noinput -v0
	@# HUEY_IN_PROCESS: the Huey consumer runs as threads inside daphne, so the digest's pushes
	@# reach this server's sockets through the in-memory channel layer (notifications/embedded.py;
	@# `manage.py send_due_today` hands its work to it). The demo logins and then the URL to
	@# open are printed once the server listens, after its startup log.
	logins="$$($(BIN)/python manage.py seed_demo)" && HUEY_IN_PROCESS=1 \
		$(BIN)/python -m realtime_scrum.server -b $(HOST) -p $(PORT) --banner "$$logins" \
		realtime_scrum.asgi:application

# A separate Huey consumer, for deployments with REDIS_URL set (pushes then go through Redis).
worker: install
	$(BIN)/python manage.py run_huey

MYPY_PATHS := board/history board/services board/selectors.py board/access.py board/representation.py board/sql.py \
	board/realtime.py realtime_scrum/sockets board/live board/consumers realtime_scrum/accounts/tokens.py \
	integrations/services integrations/selectors.py integrations/export.py integrations/ics.py \
	realtime_scrum/accounts/api_tokens.py realtime_scrum/accounts/grants.py \
	realtime_scrum/accounts/permissions.py realtime_scrum/accounts/token_views.py \
	board/asyncapi \
	webhooks/drain.py webhooks/lease.py webhooks/services.py webhooks/selectors.py \
	webhooks/targets.py webhooks/transport.py webhooks/signing.py webhooks/notify.py \
	realtime_scrum/metrics.py realtime_scrum/metrics_view.py realtime_scrum/request_id.py \
	realtime_scrum/direct_send.py realtime_scrum/db_unavailable.py realtime_scrum/db_router.py

# The page's JavaScript: ESLint and Prettier as package.json pins them, installed from the
# lockfile by scripts/js-lint-up.sh (again whenever package.json or the lockfile changes).
JS_TOOLS := node_modules/.installed
.PHONY: lint-js

$(JS_TOOLS): package.json package-lock.json
	bash scripts/js-lint-up.sh

lint-js: $(JS_TOOLS)
	npm run --silent lint

lint: install lint-js
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(MYPY_PATHS)

format: install $(JS_TOOLS)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	npm run --silent format

# The AsyncAPI document's test runs @asyncapi/parser from package.json ($(JS_TOOLS)).
test-unit: install $(JS_TOOLS)
	$(BIN)/pytest -q -p no:cacheprovider -m "not mysql"

# MariaDB + Redis: the same suite against the production backends.
test-services: install $(JS_TOOLS)
	bash scripts/services-up.sh $(BIN)
	DATABASE_URL=mysql://root@127.0.0.1:3306/$(TEST_DB) TEST_DATABASE_NAME=test_$(TEST_DB) \
	REDIS_URL=redis://127.0.0.1:6379/$(TEST_REDIS_DB) CHANNEL_LAYER_PREFIX=rs-test \
	CACHE_KEY_PREFIX=rs-test $(BIN)/pytest -q -p no:cacheprovider -m "not sqlite"

# The page: pure state modules under node, then two users in Debian's chromium.
test-node:
	node --test frontend/tests/

# axe-core and Lighthouse come from package.json with the JS tools ($(JS_TOOLS)): the tier
# fails without them, never skips.
test-e2e: install $(JS_TOOLS)
	bash scripts/e2e-up.sh
	E2E=1 $(BIN)/pytest -q -p no:cacheprovider tests/e2e

# The quality gates alone: axe on every view at two sizes, quiet fresh loads, Lighthouse on /
# and a board, printing the scores (reports in tests/artifacts/). Stricter than test-e2e:
# Lighthouse's performance score must reach 0.95 too, so run it on a quiet machine.
.PHONY: audit
audit: install $(JS_TOOLS)
	bash scripts/e2e-up.sh
	E2E=1 LIGHTHOUSE_STRICT=1 $(BIN)/pytest -q -rA -p no:cacheprovider \
		tests/e2e/test_a11y_helpers.py tests/e2e/test_a11y.py tests/e2e/test_audit.py

test-frontend: test-node test-e2e

# The unit and services tiers side by side, each tier's log printed whole when both have
# ended (scripts/run-together.sh: why that is safe, and what it saves).
.PHONY: test-unit-services
test-unit-services: install $(JS_TOOLS)
	bash scripts/services-up.sh $(BIN)
	bash scripts/run-together.sh "unit:$(MAKE) --no-print-directory test-unit" \
		"services:$(MAKE) --no-print-directory test-services"

# nginx (the deploy/ template) in front of two daphnes, the Huey worker, MariaDB and a private
# Redis, all on loopback ports picked at run time; driven only through nginx (tests/system/).
test-system: install
	bash scripts/system-up.sh $(BIN)
	RS_SYSTEM_TESTS=1 $(BIN)/pytest -q -p no:cacheprovider tests/system

# SPEC section 15 against two daphnes, MariaDB and a private Redis that is SIGKILLed, restarted
# empty and cut off mid-stream; a lost removal, a reader that never reads, socket caps.
test-faults: install
	bash scripts/services-up.sh $(BIN)
	RS_FAULT_TESTS=1 $(BIN)/pytest -q -p no:cacheprovider tests/faults

# The benchmarks' correctness subset (delivery counts, query counts): tiny B1 + B5 through the
# bench harness (pinned daphne, MariaDB, a private Redis), B1's peers (nginx + nchan from
# scripts/bench-up.sh, Socket.IO from $(JS_TOOLS)) delivering to 20 sockets, about a minute.
test-bench-smoke: install $(JS_TOOLS)
	bash scripts/bench-up.sh $(BIN)
	$(BIN)/pytest -q -p no:cacheprovider tests/bench/smoke.py

# SPEC section 10: B1 (with its peers: nginx + nchan, Socket.IO, raw websockets), B2, B5, B6,
# B7 against their baselines -> tests/bench/results/ (JSON, markdown table, PNG plot).
# BENCH_ARGS passes options, e.g. BENCH_ARGS="--only B1" or "--only PEERS".
bench: install $(JS_TOOLS)
	bash scripts/bench-up.sh $(BIN)
	$(BIN)/pip install -q -e ".[bench]"
	$(BIN)/python -m tests.bench.run $(BENCH_ARGS)

# Attack it as an outsider (docs/security.md): schemathesis, a Hypothesis state machine,
# socket frame and handshake fuzzing on a live daphne (file SQLite in a temp dir), garbage
# connections through Debian's nginx (installed if missing). Bounded: about a minute here.
test-security: install
	bash scripts/system-up.sh $(BIN)
	RS_SECURITY_TESTS=1 timeout 600 $(BIN)/pytest -q -p no:cacheprovider tests/security

test: lint test-unit-services test-system test-faults test-frontend test-security test-bench-smoke

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
