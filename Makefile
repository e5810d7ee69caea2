# gradiorec: `make demo` shows the main job on a bundled Gradio app; `make test`
# runs every test. Both first install whatever is missing (scripts/setup).
#
# GRADIO_VERSIONS=all make test   also runs the compatibility suite
#                                 (Gradio 6.31.0, 5.49.1 and 4.44.1).

GO ?= go
GOFILES = $(shell find . -name '*.go' -not -path './.venv/*' -not -path '*/node_modules/*')

.PHONY: all setup demo test check bench app

all: test

setup:
	@scripts/setup

demo: setup
	@scripts/demo

test: setup check
	$(GO) test -timeout 60m ./...

check:
	@unformatted=$$(gofmt -l $(GOFILES)); \
	  if [ -n "$$unformatted" ]; then echo "not gofmt-clean (run gofmt -w):"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

# The desktop app (Wails v2, WebKitGTK 4.1). `scripts/setup --gui` installs
# the GTK and WebKit development packages it builds against.
app:
	@scripts/setup --gui
	$(GO) build -tags desktop,production,webkit2_41 -ldflags "-w -s" -o build/bin/gradiorec-desktop .
