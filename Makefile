# attract — see README.md. `make run` builds everything and starts the server
# on the embedded SQLite with demo data; `make test` runs every test.

SHELL     := /bin/bash
GO        ?= go
BIN       := bin/attract
PG_TEST   ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable
E2E_PORT  ?= 18080
E2E_DIR   := $(CURDIR)/tmp/e2e
BENCH_PORT ?= 18081
# The test identity provider make e2e signs in through (cmd/testidp).
E2E_IDP_PORT ?= 18085
BENCH_DIR := $(CURDIR)/tmp/bench-render
CHROMIUM  := $(or $(CHROMIUM_PATH),/usr/bin/chromium)
# make run's address: make run ADDR=0.0.0.0:9000 (or ATTRACT_ADDR).
ADDR      ?= $(or $(ATTRACT_ADDR),127.0.0.1:8080)
# Release information baked into every binary (attract version).
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT    ?= $(shell git rev-parse HEAD 2>/dev/null)
VERSION   := $(VERSION)
COMMIT    := $(COMMIT)
LDFLAGS   := -X main.version=$(VERSION) -X main.commit=$(COMMIT)
ARCHES    := amd64 arm64 loong64

.PHONY: openapi run build ui go-build test check-browser api-check go-test fuzz deps-audit e2e crash cross release bench bench-render bench-render-run clean

run: build
	$(BIN) serve --demo --addr $(ADDR)

build: ui go-build

# The UI is built with npm into internal/web/dist and embedded (tag embedui),
# again only when its sources change.
UI_SRC := $(shell find web/src web/public web/scripts -type f 2>/dev/null) web/index.html web/vite.config.ts web/tsconfig.json docs/openapi.json
ui: internal/web/dist/index.html

internal/web/dist/index.html: web/node_modules/.installed $(UI_SRC)
	cd web && npm run build

web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@

go-build:
	$(GO) build -tags embedui -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/attract

# The browser check first, so that a missing Chromium is said at once; then
# Go tests on SQLite always and on PostgreSQL when ATTRACT_TEST_POSTGRES is
# set (.ci/run sets it); then the browser tests. api-check: the committed
# OpenAPI document is what the Go code builds, and the UI's generated types
# are what the document gives (fix both with cd web && npm run api:types).
test: check-browser api-check go-test fuzz e2e

api-check: web/node_modules/.installed
	cd web && node scripts/api-types.mjs --check --go

check-browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		echo "make test: no Chromium at $(CHROMIUM); the browser tests need Debian's Chromium and a CJK font:"; \
		echo "    apt-get update && apt-get install -y chromium fonts-noto-cjk"; \
		echo "(or set CHROMIUM_PATH to another Chromium; make go-test runs the Go tests alone)"; \
		exit 1; \
	fi

go-test:
	@mkdir -p tmp
	@echo "PostgreSQL tests: $${ATTRACT_TEST_POSTGRES:-not set (SQLite only)}"
	@set -o pipefail; $(GO) test -count=1 -timeout 30m -v ./... 2>&1 | tee tmp/go-test.log | grep -E -- '^\s*--- |^(ok|FAIL|panic)|_test\.go:[0-9]+:' \
		|| { echo "go test failed; last lines of tmp/go-test.log:"; tail -60 tmp/go-test.log; exit 1; }

# Every fuzz target (parsers of outside input, query-parameter decoders)
# for FUZZTIME each, from its seed corpus: short in make test, longer by
# hand (make fuzz FUZZTIME=10m, niced). The list is found, not kept by hand.
FUZZTIME ?= 5s
fuzz:
	@set -e; for pkg in $$(grep -rl --include='*_test.go' '^func Fuzz' internal | xargs -n1 dirname | sort -u); do \
		for fn in $$(grep -h '^func Fuzz' $$pkg/*_test.go | sed 's/^func \(Fuzz[A-Za-z0-9_]*\).*/\1/'); do \
			echo "fuzz ./$$pkg $$fn ($(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) ./$$pkg >/dev/null || { $(GO) test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) ./$$pkg | tail -20; exit 1; }; \
		done; \
	done

# Known vulnerabilities in the Go modules and the npm packages. Both need
# the internet (the vulnerability databases); run it where there is some.
# The versions checked are pinned in go.sum and web/package-lock.json.
deps-audit:
	$(GO) run golang.org/x/vuln/cmd/govulncheck@latest ./...
	cd web && npm audit --omit=dev

# make e2e starts the test identity provider (cmd/testidp, never part of a
# release) and points the server's single sign-on at it.
e2e: check-browser build
	rm -rf $(E2E_DIR) && mkdir -p $(E2E_DIR)
	$(GO) build -o bin/testidp ./cmd/testidp
	@set -e; \
	ATTRACT_TEST_IDP=1 bin/testidp --addr 127.0.0.1:$(E2E_IDP_PORT) --client-id attract --secret-file $(E2E_DIR)/sso.secret > $(E2E_DIR)/idp.log 2>&1 & \
	idp=$$!; trap "kill $$idp 2>/dev/null || true" EXIT; \
	for i in $$(seq 1 50); do curl -sf http://127.0.0.1:$(E2E_IDP_PORT)/oidc/.well-known/openid-configuration >/dev/null && break; sleep 0.2; done; \
	ATTRACT_SSO_ISSUER=http://127.0.0.1:$(E2E_IDP_PORT)/oidc ATTRACT_SSO_CLIENT_ID=attract ATTRACT_SSO_CLIENT_SECRET_FILE=$(E2E_DIR)/sso.secret \
	ATTRACT_SSO_REDIRECT_URL=http://127.0.0.1:$(E2E_PORT)/api/v1/auth/sso/callback ATTRACT_SSO_BIND_BY_USERNAME=1 \
	ATTRACT_ADMIN_TOTP=optional ATTRACT_ADMIN_PASSWORD=E2e-admin-2026 $(BIN) serve --demo --db sqlite:$(E2E_DIR)/attract.db --addr 127.0.0.1:$(E2E_PORT) > $(E2E_DIR)/server.log 2>&1 & \
	pid=$$!; trap "kill $$pid $$idp 2>/dev/null || true" EXIT; \
	for i in $$(seq 1 900); do curl -sf http://127.0.0.1:$(E2E_PORT)/readyz >/dev/null && break; sleep 0.2; done; \
	curl -sf http://127.0.0.1:$(E2E_PORT)/readyz >/dev/null || { echo "the e2e server is not ready after 3 minutes; last lines of $(E2E_DIR)/server.log:"; tail -20 $(E2E_DIR)/server.log; exit 1; }; \
	cd web && ATTRACT_E2E_URL=http://127.0.0.1:$(E2E_PORT) ATTRACT_E2E_ADMIN_PASSWORD=E2e-admin-2026 ATTRACT_E2E_SSO=1 npm run test:e2e

# The crash test's long form: 50 SIGKILLs of the real server under eight
# writers, on SQLite and (with ATTRACT_TEST_POSTGRES) PostgreSQL; go test
# runs the short form (5 kills). CRASH_KILLS changes the count.
CRASH_KILLS ?= 50
crash:
	ATTRACT_CRASH_KILLS=$(CRASH_KILLS) $(GO) test -count=1 -timeout 90m -run TestCrashUnderWriteLoad -v ./cmd/attract/

# CGO-free builds for the servers cities run on (Kunpeng, Phytium, Loongson),
# with the UI embedded and the release information.
cross: ui
	for arch in $(ARCHES); do \
		CGO_ENABLED=0 GOOS=linux GOARCH=$$arch $(GO) build -trimpath -tags embedui -ldflags '-s -w $(LDFLAGS)' \
			-o bin/attract-linux-$$arch ./cmd/attract || exit 1; \
	done

# Release: the cross builds, each checked to say its version and carry the
# UI, with their SHA-256 sums, in bin/release/.
release: cross
	rm -rf bin/release && mkdir -p bin/release
	for arch in $(ARCHES); do cp bin/attract-linux-$$arch bin/release/attract-$(VERSION)-linux-$$arch || exit 1; done
	bin/attract-linux-$(shell $(GO) env GOARCH) version | tee bin/release/VERSION.txt
	grep -q 'web UI   embedded' bin/release/VERSION.txt
	cd bin/release && sha256sum attract-* > SHA256SUMS && cat SHA256SUMS

# The Go figures, then the cockpit's render time in headless Chromium on a
# demo server (web/e2e/bench-cockpit.mjs); the latter is skipped, with a
# line saying why, when Chromium or the web dependencies are missing.
bench:
	$(GO) run ./cmd/attract bench --scale small --json bench.json
	@$(MAKE) --no-print-directory bench-render

bench-render:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		echo "cockpit render: skipped (no Chromium at $(CHROMIUM); install Debian's chromium as .ci/run does, or set CHROMIUM_PATH)"; \
	elif ! command -v node >/dev/null || ! command -v npm >/dev/null; then \
		echo "cockpit render: skipped (node/npm not found; the web UI and its browser tests need them)"; \
	elif [ ! -f web/node_modules/.installed ] || [ ! -d web/node_modules/playwright-core ]; then \
		echo "cockpit render: skipped (web dependencies not installed; run make build, or cd web && npm ci)"; \
	else \
		$(MAKE) --no-print-directory bench-render-run; \
	fi

bench-render-run: build
	rm -rf $(BENCH_DIR) && mkdir -p $(BENCH_DIR)
	@set -e; \
	ATTRACT_ADMIN_TOTP=optional ATTRACT_ADMIN_PASSWORD=Bench-admin-2026 $(BIN) serve --demo --db sqlite:$(BENCH_DIR)/attract.db --addr 127.0.0.1:$(BENCH_PORT) > $(BENCH_DIR)/server.log 2>&1 & \
	pid=$$!; trap "kill $$pid 2>/dev/null || true" EXIT; \
	for i in $$(seq 1 150); do curl -sf http://127.0.0.1:$(BENCH_PORT)/healthz >/dev/null && break; sleep 0.2; done; \
	curl -sf http://127.0.0.1:$(BENCH_PORT)/healthz >/dev/null || { echo "demo server did not start; last lines of $(BENCH_DIR)/server.log:"; tail -20 $(BENCH_DIR)/server.log; exit 1; }; \
	cd web && ATTRACT_E2E_URL=http://127.0.0.1:$(BENCH_PORT) CHROMIUM_PATH=$(CHROMIUM) node e2e/bench-cockpit.mjs

# The OpenAPI document the front end's types are generated from; a Go test
# (internal/web, TestOpenAPIFileCurrent) fails while it is out of date.
openapi:
	go run ./cmd/attract openapi > docs/openapi.json

clean:
	rm -rf bin tmp internal/web/dist
