# gradiorec: `make demo` shows the main job on a bundled Gradio app; `make test`
# runs every test. Both first install whatever is missing (scripts/setup).
#
# GRADIO_VERSIONS=all make test   also runs the compatibility suite
#                                 (Gradio 6.31.0, 5.49.1 and 4.44.1).

GO ?= go
GOFILES = $(shell find . -name '*.go' -not -path './.venv/*' -not -path '*/node_modules/*')

.PHONY: all setup demo test check frontend bench app dist

all: test

setup:
	@scripts/setup

demo: setup
	@scripts/demo

test: setup check
	cd frontend && npm run check && npm test
	node --test extension/test/
	$(GO) test -timeout 60m ./...
	cd gradio && $(GO) test -timeout 10m ./...

check:
	@unformatted=$$(gofmt -l $(GOFILES)); \
	  if [ -n "$$unformatted" ]; then echo "not gofmt-clean (run gofmt -w):"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	cd gradio && $(GO) vet ./...   # also holds the Go client to its go 1.23
	$(GO) vet -tags desktop,production,webkit2_41 .

# The frontend of the desktop app, built into frontend/dist (embedded by main.go).
frontend:
	cd frontend && npm run build

# The desktop app (Wails v2, WebKitGTK 4.1): builds build/bin/gradiorec-desktop
# and opens it (RECORDING=file.json opens a recording in it).
app: setup frontend
	$(GO) build -tags desktop,production,webkit2_41 -ldflags "-w -s" -o build/bin/gradiorec-desktop .
	@[ -n "$$DISPLAY$$WAYLAND_DISPLAY" ] || { echo "make app: no display to open the window on (DISPLAY is not set); the app is built at build/bin/gradiorec-desktop"; exit 1; }
	build/bin/gradiorec-desktop $(RECORDING)

# Release files into dist/ (see internal/dist): the wheels of the command
# (x86-64 and aarch64), its tarballs, the desktop app's .deb and SHA256SUMS;
# the same bytes when built again from the same commit.
dist: setup frontend
	$(GO) run ./internal/dist -o dist
