# Dealer Loyalty Suite: see README.md
.PHONY: run stop test lint bench pot help

help:
	@echo "make run    - install what is missing, start PostgreSQL and Odoo on http://localhost:8069 (admin/admin)"
	@echo "make stop   - stop what make run started"
	@echo "make test   - fresh test database, install the addons, run every test (pytest + browser tours)"
	@echo "make lint   - ruff and pylint-odoo on the whole repository"
	@echo "make bench  - generate a dealership and print the benchmark figures"
	@echo "make pot    - rewrite the addons' translation templates from the test database (after make test)"

run:
	@bash scripts/run.sh

stop:
	@bash scripts/stop.sh

test:
	@bash scripts/test.sh

lint:
	@bash scripts/lint.sh

bench:
	@bash scripts/bench.sh

pot:
	@bash scripts/pot.sh
