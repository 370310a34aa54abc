# The project's commands. `make run` and `make test` each set everything up first (scripts/bootstrap.sh).
VENV := .venv/bin
# Headless machines have no display: render offscreen there instead of failing to start.
HEADLESS := $(if $(or $(DISPLAY),$(WAYLAND_DISPLAY)),,QT_QPA_PLATFORM=offscreen)

.PHONY: setup lock run test check format pytest pytest-xcb server screenshot bench chaos package clean

setup:
	@bash scripts/bootstrap.sh

# The one way to move dependency versions: re-resolve uv.lock to the newest versions the floors in
# pyproject.toml allow, then install them. Commit uv.lock only after `make test` passes with it.
lock:
	@bash scripts/bootstrap.sh
	UV_PYTHON_DOWNLOADS=never .tools/bin/uv lock --upgrade
	@bash scripts/bootstrap.sh

run: setup
	$(HEADLESS) $(VENV)/reservations-desktop --demo $(ARGS)

server: setup
	$(VENV)/booking-server serve --demo $(ARGS)

test: setup check pytest

check:
	$(VENV)/ruff format --check .
	$(VENV)/ruff check .
	$(VENV)/mypy
	$(VENV)/lint-imports

pytest:
	bash scripts/services.sh
	QT_QPA_PLATFORM=offscreen $(VENV)/pytest -n auto $(PYTEST_ARGS)
	$(MAKE) --no-print-directory pytest-xcb

# The UI tests once more on a real X server (Xvfb) with Qt's xcb platform: focus, shortcuts and
# window geometry behave differently offscreen.
pytest-xcb:
	xvfb-run -a -s "-screen 0 1600x1000x24" env QT_QPA_PLATFORM=xcb \
		$(VENV)/pytest -p no:cacheprovider tests/desktop/ui

format: setup
	$(VENV)/ruff format .
	$(VENV)/ruff check --fix .

bench: setup
	UV_PYTHON_DOWNLOADS=never .tools/bin/uv sync --frozen --extra dev --extra scale --extra package --extra bench
	QT_QPA_PLATFORM=offscreen $(VENV)/python -m bench $(ARGS)

screenshot: setup
	QT_QPA_PLATFORM=offscreen $(VENV)/reservations-desktop --demo --screenshot docs/screenshots/main.png

# The large chaos run (issue 13): 50 headless app clients, 10,000 changes, 100 SIGKILLs under
# network faults, on SQLite and PostgreSQL + Redis; then exact checks. ARGS="--clients 10 ..." to
# scale it (python -m bench.chaos --help).
chaos: setup
	bash scripts/services.sh
	QT_QPA_PLATFORM=offscreen $(VENV)/python -m bench.chaos $(ARGS)

# One-folder PyInstaller bundle in dist/reservations-desktop/ (docs/packaging.md).
package: setup
	bash packaging/build.sh

clean:
	rm -rf .venv .tools .mypy_cache .ruff_cache .pytest_cache build dist
