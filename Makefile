# stagecraft — see README.md. `make run` starts the course, `make test` runs every test.
GO       ?= go
BUILDKIT_VERSION := $(shell $(GO) list -m -f '{{.Version}}' github.com/moby/buildkit)
VERSION  := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.version=$(VERSION)

.PHONY: all build run test test-unit bench lint buildkitd deps test-deps clean FORCE

all: build

build: bin/stagecraft

bin/stagecraft: FORCE
	$(GO) build -ldflags "$(LDFLAGS)" -o $@ ./cmd/stagecraft

# buildkitd is built from the BuildKit version pinned in go.mod, once, and cached in bin/.
buildkitd: bin/buildkitd-$(BUILDKIT_VERSION)
	@ln -sf buildkitd-$(BUILDKIT_VERSION) bin/buildkitd

bin/buildkitd-$(BUILDKIT_VERSION):
	scripts/build-buildkitd.sh $(BUILDKIT_VERSION) $@

# runc and busybox-static (the catalog's shell image) come from the distribution; a user other
# than root also needs rootlesskit, uidmap and slirp4netns (the managed daemon runs rootless).
# Without root it installs through `sudo -n`, or prints what an administrator must install.
deps:
	@scripts/install-deps.sh

# The tests also drive tmux (end-to-end runs of the TUI), openssl (deployment certificates) and
# rootlesskit + uidmap (the rootless daemon's test, as a throwaway user).
test-deps:
	@scripts/install-deps.sh test

run: deps buildkitd build
	bin/stagecraft

# make test: a private buildkitd (temp root, temp socket) for the run, stopped afterwards.
# A new learner's first check runs first, alone, so on a fresh checkout it meets an unbuilt
# catalog (and builds it for every later test); then everything else.
FIRST_CHECK := ^TestE2EFirstCheck$$
test: test-deps buildkitd build
	scripts/with-buildkitd.sh sh -c '$(GO) test -count=1 -run "$(FIRST_CHECK)" ./cmd/stagecraft/ && $(GO) test -count=1 -timeout 40m -skip "$(FIRST_CHECK)" ./...'

# Unit tests only: no daemon; integration tests skip with a message (never in CI).
test-unit:
	$(GO) test ./...

bench: test-deps buildkitd build
	scripts/with-buildkitd.sh $(GO) test -run '^$$' -bench . -benchtime 5x -count 1 ./...

lint:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

clean:
	rm -rf bin/stagecraft .cache/test
