# cfngen: the targets people and CI use.
GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/cfngen/cfngen/internal/cli.Version=$(VERSION)

.PHONY: build test unit external render docs check lint golden bench mermaid-check

build: ## compile bin/cfngen
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/cfngen ./cmd/cfngen

test: unit external ## every test: vet and go test, then the external validators

unit: ## go vet and go test ./... (fast, in-process only)
	$(GO) vet ./...
	$(GO) test ./...

external: ## the slow checks by real tools: cfn-lint on every rendered template (fails if cfn-lint is missing)
	$(GO) test -tags external -count=1 -run External ./...

render: ## write templates/, params/, docs/ and the README's diagram
	$(GO) run ./cmd/cfngen render
	$(GO) run ./cmd/cfngen docs

docs: ## write docs/ and the README's diagram
	$(GO) run ./cmd/cfngen docs

check: ## fail if templates/, params/, docs/ or the README's diagram differ from a fresh render
	$(GO) run ./cmd/cfngen render --check
	$(GO) run ./cmd/cfngen docs --check

golden: ## rewrite golden files after an intended change (read the diff!)
	$(GO) test ./internal/project ./internal/render ./internal/cli ./internal/graph ./internal/docs ./internal/diff -run 'TestGolden|TestLogicalIDLock|TestEndToEnd|TestModelChanges|TestHandwritten' -update

lint: ## gofmt, go vet and cfn-lint on the committed templates
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...
	cfn-lint -- templates/*.yaml

mermaid-check: build ## render every diagram cfngen draws with Mermaid in headless Chromium (needs npm and chromium)
	cd tools/mermaidcheck && npm install --no-audit --no-fund --silent
	mkdir -p bin/mermaid
	for v in aurora rds; do for l in overview full; do bin/cfngen graph --variant $$v --level $$l > bin/mermaid/$$v-$$l.mmd; done; done
	bin/cfngen graph --level full testdata/handwritten/backend-mistakes.yaml > bin/mermaid/handwritten-full.mmd
	node tools/mermaidcheck/check.js bin/mermaid/*.mmd

bench: build ## Go benchmarks of the pipeline, then cfngen timed as a process (wall time, peak RSS)
	$(GO) test -run '^$$' -bench . -benchmem ./internal/render ./internal/project ./internal/cfn ./internal/validate ./internal/diff
	$(GO) run ./internal/benchproc -bin bin/cfngen -runs 15
