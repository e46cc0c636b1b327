# aigov: the two commands are `make serve` (set up, build, serve on http://127.0.0.1:8000)
# and `make test` (set up, build, run every test). Both work on a fresh Debian machine.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := chromium nginx-light libnginx-mod-http-brotli-static

.PHONY: serve build test bench system setup clean help

help:
	@echo "make serve   set up, build all languages, serve with deploy/nginx.conf on http://127.0.0.1:$(PORT)"
	@echo "make test    set up, build, run every test (unit, Sphinx, built site, browser, Pyodide)"
	@echo "make build   build _build/html only"
	@echo "make bench   performance figures (page weight, Pyodide boot, widget timings, Lighthouse)"

# System packages: Chromium for the browser tests, nginx (with brotli) to serve, Node for npm.
system:
	@if ! command -v chromium >/dev/null || ! command -v nginx >/dev/null \
	    || [ ! -f /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ]; then \
	  echo "Installing system packages: $(APT_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES); \
	fi
	@# Node.js is usually there already (its own npm); only a machine without it gets Debian's.
	@if ! command -v npm >/dev/null; then \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; \
	fi

$(VENV)/.installed: requirements.txt pyproject.toml | system
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json | system
	npm ci --no-audit --no-fund
	touch $@

setup: $(VENV)/.installed node_modules/.installed

build: setup
	$(PY) tools/build_book.py

serve: build
	$(PY) tools/nginx_conf.py serve --port $(PORT)

test: build
	$(PY) -m pytest -ra

bench/node_modules/.installed: bench/package.json bench/package-lock.json | system
	cd bench && npm ci --no-audit --no-fund
	touch $@

bench: build bench/node_modules/.installed
	$(PY) bench/run.py

clean:
	rm -rf _build
