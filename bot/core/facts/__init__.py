"""The facts Haven may state: contacts, travel advisories, red flags, ways to verify an employer.

Everything comes from ``content/facts.yml`` (built from the shared facts file by
``scripts/build_facts.py``) and ``content/countries.yml``. Only entries with
``status: confirmed``, a source and a checked date are ever rendered, each with its date: a
wrong number can cost a life, so an unconfirmed one is never said, not even as a fallback.
Staff edit the files while Haven runs: ``FactsStore.current()`` re-reads them; a malformed edit
keeps the last good version. Standard library, PyYAML and bot.core only (Python 3.10): the
action server imports it too.

``entries`` holds the shapes, ``sources`` how a source and a number are shown, ``places``
finds places in text, ``catalogue`` is one version of the facts and what is said from it,
``render`` words its blocks, ``loading`` reads and checks the files."""

from __future__ import annotations

from bot.core.facts.catalogue import Facts
from bot.core.facts.entries import (
    ADVISORY_SITE,
    CALL_CENTER_ID,
    CONFIRMED,
    DEFAULT_STALE_DAYS,
    HOME,
    LEVELS,
    SUPERSEDED,
    UNCONFIRMED,
    Advisory,
    Area,
    Contact,
    Country,
    Names,
    Place,
    Sourced,
    StaleEntry,
)
from bot.core.facts.loading import FactsStore, load_countries, load_facts
from bot.core.facts.places import Places, spaced_view
from bot.core.facts.sources import phone_tokens, source_label, source_labels

__all__ = [
    "ADVISORY_SITE",
    "CALL_CENTER_ID",
    "CONFIRMED",
    "DEFAULT_STALE_DAYS",
    "HOME",
    "LEVELS",
    "SUPERSEDED",
    "UNCONFIRMED",
    "Advisory",
    "Area",
    "Contact",
    "Country",
    "Facts",
    "FactsStore",
    "Names",
    "Place",
    "Places",
    "Sourced",
    "StaleEntry",
    "load_countries",
    "load_facts",
    "phone_tokens",
    "source_label",
    "source_labels",
    "spaced_view",
]
