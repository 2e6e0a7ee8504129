# swarmpress — `make run` and `make test` set up everything they need, idempotently.
#
#   make run    install what is missing, build, open the window (or the headless node)
#   make test   the same setup, then lint, type check and every test
#   make deb    the Debian package dist/deb/swarmpress_<version>_<arch>.deb (tools/deb.sh)
#   make bench  the benchmarks, side by side with their references (bench-results.md);
#               BENCH_ARGS="--only app,window" for some of them
#
# Setup steps leave stamps in .stamps/ so that nothing is redone when nothing changed.

SHELL := /bin/bash
.DEFAULT_GOAL := run
ROOT := $(abspath .)
STAMPS := .stamps
NODE_BIN := node_modules/.bin

# Debian packages the build, the app, the tests and the benchmarks use (FACTS.md lists why;
# chromium is the browser-engine reference of the benchmarks, never part of the app).
APT_PACKAGES := g++ make cmake pkg-config ccache python3 \
  qt6-base-dev qt6-svg-dev libglib2.0-dev libtorrent-rasterbar-dev libboost-dev \
  xvfb xauth x11-utils xdotool imagemagick fonts-dejavu-core \
  aria2 transmission-cli iproute2 chromium xdg-utils \
  dpkg-dev lintian desktop-file-utils appstream librsvg2-bin debootstrap dpkg-repack man-db

# Native builds compile against Node's own headers (no header download) and Debian's Qt.
# ccache keys on content, not on the clone's path, so a fresh clone on a machine that built
# before compiles in seconds (NodeGui alone is ~150 C++ units).
export npm_config_nodedir := /usr
export QT_INSTALL_DIR := /usr
export CCACHE_BASEDIR := $(ROOT)
export CCACHE_NOHASHDIR := true
export CCACHE_MAXSIZE ?= 2G
export CMAKE_BUILD_PARALLEL_LEVEL ?= 2
export JOBS ?= 2

NODEGUI_ADDON := node_modules/@nodegui/nodegui/build/Release/nodegui_core.node
SQLITE_ADDON := node_modules/better-sqlite3/build/Release/better_sqlite3.node
NATIVE_ADDONS := native/build/Release/swarmpress_preload.node native/build/Release/swarmpress_qt_runtime.node native/build/Release/swarmpress_torrent.node
NATIVE_SOURCES := native/binding.gyp $(shell find native/src -name '*.cpp' -o -name '*.h' 2>/dev/null)
TS_SOURCES := tsconfig.json $(shell find src test -name '*.ts' 2>/dev/null)
BENCH_TOOLS := native/bench/build/qt_markdown
TEST_FILES = $(shell find dist/test -name '*.test.js' | sort)

.PHONY: run build deb test lint typecheck unit bench bench-smoke clean setup system-deps FORCE

run: build
	node bin/swarmpress.js

build: $(STAMPS)/system $(NODEGUI_ADDON) $(SQLITE_ADDON) $(NATIVE_ADDONS) $(STAMPS)/dist $(STAMPS)/bundle

setup: build

# --- system packages ---------------------------------------------------------------
$(STAMPS)/system: Makefile
	@mkdir -p $(STAMPS)
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:" $$missing; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	  else \
	    echo "swarmpress needs these Debian packages; install them, then run make again:"; \
	    echo "  sudo apt-get install -y --no-install-recommends" $$missing; \
	    exit 1; \
	  fi; \
	fi
	@touch $@

system-deps: $(STAMPS)/system

FORCE:

# --- npm packages --------------------------------------------------------------------
# No install scripts run: the only two packages that have one (NodeGui, better-sqlite3)
# would first try to download prebuilt binaries from outside the npm registry; both are
# built from source below instead. @nodegui/qode is overridden by native/qode.
$(STAMPS)/npm: package.json package-lock.json native/qode/package.json | $(STAMPS)/system
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

# NodeGui's classes are defined on first use, not all at start (tools/nodegui-lazy.js says
# why; it rewrites NodeGui's init function before the build).
#
# It is built for size, and exports only its module entry: NodeGui's own -O3 build exported
# 14,421 symbols, so loading it bound ~23,000 relocations by name, and its code was 5.5 MB.
# With -Os and hidden symbols: 2.4 MB of code, 214 exports, ~8,400 relocations by name.
# Measured with a 1,000-post site open, idle: the addon's PSS 5.5 -> 2.6 MiB, the whole
# window's file-backed PSS 76.2 -> 73.5 MiB; no change to the time to the first paint.
NODEGUI_CMAKE_FLAGS := --CDCMAKE_BUILD_TYPE=Release "--CDCMAKE_CXX_FLAGS_RELEASE=-Os -DNDEBUG" \
  "--CDCMAKE_CXX_FLAGS=-fvisibility=hidden -fvisibility-inlines-hidden"
# Rewritten only when the flags change, so that a change rebuilds NodeGui and nothing else does.
$(STAMPS)/nodegui-flags: FORCE
	@mkdir -p $(STAMPS)
	@echo '$(NODEGUI_CMAKE_FLAGS)' | cmp -s - $@ || echo '$(NODEGUI_CMAKE_FLAGS)' > $@

$(NODEGUI_ADDON): $(STAMPS)/npm tools/nodegui-lazy.js $(STAMPS)/nodegui-flags
	node tools/nodegui-lazy.js node_modules/@nodegui/nodegui
	cd node_modules/@nodegui/nodegui && node ../../cmake-js/bin/cmake-js configure --log-level error $(NODEGUI_CMAKE_FLAGS) >/dev/null && \
	  node ../../cmake-js/bin/cmake-js build --log-level error
	@touch $@

# better-sqlite3's own install script would try a prebuilt download first; build it from
# its bundled SQLite source instead (about a minute, seconds with ccache).
#
# At -O2, as SQLite's own build does, not node-gyp's -O3: 2.0 -> 1.5 MB of code, and the
# window's PSS with a 1,000-post index open 0.5 MiB less (its pages 1.8 -> 1.3 MiB).
# Measured in the same conditions: full-text search p95 13.5 ms either way, ingesting 1,000
# items 89 -> 106 ms (targets: 20 and 300 ms). -Os saved 0.25 MiB more but made search
# 25% slower.
SQLITE_FLAGS := -O2
$(STAMPS)/sqlite-flags: FORCE
	@mkdir -p $(STAMPS)
	@echo '$(SQLITE_FLAGS)' | cmp -s - $@ || echo '$(SQLITE_FLAGS)' > $@

$(SQLITE_ADDON): $(STAMPS)/npm $(STAMPS)/sqlite-flags
	cd node_modules/better-sqlite3 && CC="ccache gcc" CXX="ccache g++" CFLAGS="$(SQLITE_FLAGS)" CXXFLAGS="$(SQLITE_FLAGS)" \
	  ../.bin/node-gyp rebuild --release --jobs $(JOBS) --loglevel=warn
	@touch $@

# --- swarmpress's own native modules -------------------------------------------------
$(NATIVE_ADDONS) &: $(NATIVE_SOURCES) $(STAMPS)/npm
	CC="ccache gcc" CXX="ccache g++" $(NODE_BIN)/node-gyp rebuild --directory native --jobs $(JOBS) --loglevel=warn
	@touch $(NATIVE_ADDONS)

# --- TypeScript ----------------------------------------------------------------------
$(STAMPS)/dist: $(TS_SOURCES) $(STAMPS)/npm
	$(NODE_BIN)/tsc -p tsconfig.json
	@touch $@

# The benchmarks' C++ reference program (Qt's own Markdown import), not part of the app.
# One file for the program, its layout worker and NodeGui's JavaScript (start-up time;
# tools/bundle.js says why). bin/swarmpress.js uses it unless tsc wrote newer modules.
$(STAMPS)/bundle: $(STAMPS)/dist tools/bundle.js
	node tools/bundle.js
	@touch $@

# The Debian package, from the built tree (tools/deb.sh says what goes in, and why).
deb: build
	bash tools/deb.sh

$(BENCH_TOOLS): native/bench/qt_markdown.cpp native/bench/Makefile | $(STAMPS)/system
	CXX="ccache g++" $(MAKE) -C native/bench

# --- checks --------------------------------------------------------------------------
lint: $(STAMPS)/npm
	$(NODE_BIN)/eslint --max-warnings 0 .

typecheck: $(STAMPS)/npm
	$(NODE_BIN)/tsc -p tsconfig.json --noEmit

unit: build
	node --test --test-reporter=spec $(TEST_FILES)

test: build $(BENCH_TOOLS) lint typecheck
	node --test --test-reporter=spec $(TEST_FILES)

# The harness runs on a copy of node, exec'd so that no node process sits above it: what it
# measures runs on the system's node and shares no page of it with the harness
# (test/bench/run.ts says why).
bench: build $(BENCH_TOOLS)
	@node=$$(command -v node) && copy=$$(mktemp "$${TMPDIR:-/tmp}/swarmpress-bench-node.XXXXXX") && cp "$$node" "$$copy" && chmod 755 "$$copy" && \
	  SWARMPRESS_PROGRAM_NODE="$$node" SWARMPRESS_HARNESS_COPY="$$copy" exec "$$copy" dist/test/bench/run.js $(BENCH_ARGS)

clean:
	rm -rf dist native/build native/bench/build $(STAMPS)
