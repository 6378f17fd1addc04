# Two commands for a newcomer: `make demo` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN = $(VENV)/bin
PORT ?= 8000
export DEBUG ?= 1

.PHONY: demo test install install-dev browser-deps varnish-deps screenshots lint format serve serve-prod clean backup restore

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt

# Browser tests drive Debian's Chromium (never a downloaded browser) and inject axe-core from npm.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		else echo "Install Chromium first: sudo apt-get install chromium"; exit 1; fi; }
	@[ -f node_modules/axe-core/axe.min.js ] || npm ci --no-audit --no-fund --silent

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo
	@echo "Public site: http://127.0.0.1:$(PORT)/    Admin: http://127.0.0.1:$(PORT)/admin/"
	@echo "Accounts: editor / editor-demo-2026, reviewer / reviewer-demo-2026, reviewer2 / reviewer2-demo-2026, admin / admin-demo-2026"
	@echo "Background tasks: a database worker (manage.py db_worker) runs beside the server and stops with it."
	@echo
	PYTHON_BIN=$(BIN)/python bin/with-worker $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The site served as in production, on this machine: DEBUG off, static files collected and served by WhiteNoise,
# gunicorn with WEB_CONCURRENCY sync workers, and a database task worker beside it (bin/with-worker). The secret
# key (unless SECRET_KEY is set) and host names are for 127.0.0.1 only, and plain http is allowed because no proxy
# terminates HTTPS here. See "Deployment" in README.md.
WEB_CONCURRENCY ?= 2
SERVE_PROD_ENV = DEBUG=0 SECRET_KEY="$${SECRET_KEY:-local-only-key-for-make-serve-prod-never-for-a-real-site}" \
	ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=0

serve-prod: install
	$(SERVE_PROD_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(SERVE_PROD_ENV) $(BIN)/python manage.py migrate --noinput
	@echo
	@echo "Public site: http://127.0.0.1:$(PORT)/    Admin: http://127.0.0.1:$(PORT)/admin/    (DEBUG off, $(WEB_CONCURRENCY) workers)"
	@echo "Background tasks: a database worker (manage.py db_worker) runs beside gunicorn and stops with it."
	@echo
	$(SERVE_PROD_ENV) PYTHON_BIN=$(BIN)/python bin/with-worker \
		$(BIN)/gunicorn config.wsgi --bind 127.0.0.1:$(PORT) --workers $(WEB_CONCURRENCY) --access-logfile -

# The HTTP caching tests start Debian's Varnish in front of the live server (tests/public/test_varnish.py).
varnish-deps:
	@command -v varnishd >/dev/null 2>&1 || [ -x /usr/sbin/varnishd ] || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq varnish; \
		else echo "Install Varnish first: sudo apt-get install varnish"; exit 1; fi; }

test: install-dev browser-deps varnish-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n auto --dist load -m "not browser"
	$(BIN)/python -m pytest -m browser

# Screenshots of every public page at desktop and phone width, into artifacts/screenshots/,
# and the README's pictures, refreshed in docs/screenshots/.
screenshots: install-dev browser-deps
	SCREENSHOT_DIR=artifacts/screenshots $(BIN)/python -m pytest -q -m browser tests/browser -k "photographed or readme"
	mkdir -p docs/screenshots
	cp artifacts/screenshots/readme-*.png docs/screenshots/

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The database and the uploaded media, into one file in backups/; restore asks before replacing them.
backup: install
	$(BIN)/python manage.py backup

restore: install
	$(BIN)/python manage.py restore "$(FILE)"

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .import_linter_cache
