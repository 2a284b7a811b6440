# Haven: `make run` starts everything, `make test` proves it. Both set up what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

BOT := .venv/.installed
ENGINE := .venv-engine/.installed
MODEL := models/haven.tar.gz
# The channel, the tracker store and the action server's launcher are not in the model's pipeline.
TRAINING_DATA := config.yml domain.yml $(shell find nlu stories components -name '*.yml' -o -name '*.py' 2>/dev/null | grep -v -e haven_channel -e tracker_store -e action_server)

.PHONY: help run test test-fast train lint format eval bench rotate-key backup restore backup-list clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

run: $(BOT) $(MODEL) ## Start engine, action server and bot (console chat without TELEGRAM_BOT_TOKEN)
	.venv/bin/python -m bot

test: $(BOT) $(MODEL) lint ## Run the whole test suite against the real engine
	.venv/bin/python -m pytest

test-fast: $(BOT) ## Unit tests only: no engine, no Bot API stand-in (under a minute)
	.venv/bin/python -m pytest -m "not e2e"

train: $(MODEL) ## Train the engine model if its data changed

lint: $(BOT) ## Check style and types
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

format: $(BOT) ## Reformat the code
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

eval: $(BOT) $(MODEL) ## Evaluate understanding on the held-out set (report in reports/)
	.venv/bin/python -m bot.evaluate

bench: $(BOT) $(MODEL) ## Measure latency, load, memory and cold start (report in reports/)
	.venv/bin/python -m tests.bench

rotate-key: $(BOT) ## Seal stored text again under a new data key (stop Haven first)
	.venv/bin/python -m bot.rotate_key

backup: $(BOT) ## Back up the store into BACKUP_DIR (also while Haven runs); keeps the newest BACKUP_KEEP
	.venv/bin/python -m bot.backup

restore: $(BOT) ## Put a backup back: make restore FILE=var/backups/haven-....sqlite3 (stop Haven first)
	@test -n "$(FILE)" || { echo "make restore FILE=<backup file>  (make backup-list shows them)"; exit 2; }
	.venv/bin/python -m bot.backup --restore "$(FILE)"

backup-list: $(BOT) ## List the backups in BACKUP_DIR and check each
	.venv/bin/python -m bot.backup --list

clean: ## Remove environments, models and reports
	rm -rf .venv .venv-engine models reports results .mypy_cache .ruff_cache .pytest_cache

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
