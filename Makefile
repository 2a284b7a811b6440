# Haven: `make run` starts everything, `make test` proves it. Both set up what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

# Debian packages: Tesseract with Korean (reading pictures), Nanum fonts (the tests draw them).
SYSTEM := system
BOT := .venv/.installed
ENGINE := .venv-engine/.installed
MODEL := models/haven.tar.gz
# The channel, the tracker store and the action server's launcher are not in the model's pipeline.
TRAINING_DATA := config.yml domain.yml $(shell find nlu stories components -name '*.yml' -o -name '*.py' 2>/dev/null | grep -v -e haven_channel -e tracker_store -e action_server -e action_calls)
# ENGINE_WORKERS above 1 runs that many engine processes sharing Debian's redis-server.
ENGINE_WORKERS ?= 1
REDIS := $(if $(filter-out 1,$(strip $(ENGINE_WORKERS))),redis-server,)

.PHONY: help run test test-fast train lint format eval bench rotate-key backup restore backup-list clean system redis-server

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

run: $(SYSTEM) $(BOT) $(MODEL) $(REDIS) ## Start engine, action server and bot (console chat without TELEGRAM_BOT_TOKEN)
	.venv/bin/python -m bot

redis-server: ## Install Debian's redis-server if missing (needed with ENGINE_WORKERS above 1)
	@command -v redis-server >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server; \
	  elif command -v sudo >/dev/null && command -v apt-get >/dev/null; then \
	    sudo apt-get install -y --no-install-recommends redis-server; \
	  else \
	    echo "ENGINE_WORKERS=$(ENGINE_WORKERS) needs redis-server: install it, or set ENGINE_WORKERS=1" >&2; exit 1; \
	  fi; }

test: $(SYSTEM) redis-server $(BOT) $(MODEL) lint ## Run the whole test suite against the real engine (ENGINE_WORKERS=2 too)
	.venv/bin/python -m pytest

test-fast: $(SYSTEM) $(BOT) ## Unit tests only: no engine, no Bot API stand-in (under a minute)
	.venv/bin/python -m pytest -m "not e2e"

train: $(MODEL) ## Train the engine model if its data changed

lint: $(BOT) ## Check style and types
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

format: $(BOT) ## Reformat the code
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

eval: $(SYSTEM) $(BOT) $(MODEL) ## Evaluate understanding on the held-out set, and reading pictures (reports/)
	.venv/bin/python -m bot.tools.evaluate
	.venv/bin/python -m tests.ocr_eval

bench: $(SYSTEM) $(BOT) $(MODEL) ## Measure latency, load, memory and cold start (report in reports/)
	.venv/bin/python -m tests.bench

rotate-key: $(BOT) ## Seal stored text again under a new data key (stop Haven first)
	.venv/bin/python -m bot.tools.rotate_key

backup: $(BOT) ## Back up the store into BACKUP_DIR (also while Haven runs); keeps the newest BACKUP_KEEP
	.venv/bin/python -m bot.tools.backup

restore: $(BOT) ## Put a backup back: make restore FILE=var/backups/haven-....sqlite3 (stop Haven first)
	@test -n "$(FILE)" || { echo "make restore FILE=<backup file>  (make backup-list shows them)"; exit 2; }
	.venv/bin/python -m bot.tools.backup --restore "$(FILE)"

backup-list: $(BOT) ## List the backups in BACKUP_DIR and check each
	.venv/bin/python -m bot.tools.backup --list

clean: ## Remove environments, models and reports
	rm -rf .venv .venv-engine models reports results .mypy_cache .ruff_cache .pytest_cache

system: ## Install the Debian packages (Tesseract with Korean, Nanum fonts), or say how
	@scripts/system-packages

$(BOT): requirements/bot.txt
	rm -rf .venv
	"$$(scripts/find-python 3.11)" -m venv .venv
	.venv/bin/pip install --quiet --no-warn-script-location -r requirements/bot.txt
	touch $@

$(ENGINE): requirements/engine.txt
	rm -rf .venv-engine
	"$$(scripts/find-python 3.10)" -m venv .venv-engine
	.venv-engine/bin/pip install --quiet --no-warn-script-location -r requirements/engine.txt
	touch $@

$(MODEL): $(ENGINE) $(TRAINING_DATA)
	.venv-engine/bin/rasa train --data nlu stories --out models --fixed-model-name haven --quiet
	touch $@
