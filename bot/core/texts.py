"""Everything Haven says in its own words, in every language it answers in, for ``t()``.

The words live in the language packs (``content/<code>/texts.yml``, bot/core/packs.py): one
place per language to translate and review. This module lives in bot.core (standard library
and PyYAML, Python 3.10) so that the facts module and the action server read the same words.
The engine's answers live in domain.yml, and job-check wording in the packs' job_flags.yml.

Keys are ``area.name``: ``keyboard``, ``command``, ``flow``, ``check`` (a question about an
offer answered first, the guided check pre-filled), ``discreet``, ``decoy``,
``to_user`` (sent on staff's behalf), ``facts`` and ``actions``; the staff group's own texts
(``staff``) are the packs' staff.yml, which bot/common/stafftexts.py adds.
The front end's own replies in the private chat (``start``, ``help``, ...) have no area.
They are read once, from the repository's content/: changing them is a release.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.errors import PackError
from bot.core.packs import ROOT_CONTENT, load_parts, part_paths

__all__ = ["CATALOGUES", "TEXTS", "add_catalogue", "load_catalogue", "t"]


def load_catalogue(name: str, content_dir: Path = ROOT_CONTENT) -> dict[str, dict[str, str]]:
    """Read the part ``name`` of every pack: ``{key: {language: text}}``, in the packs' order.

    A value that is not text stops the start, naming the pack and the key.
    """
    catalogue: dict[str, dict[str, str]] = {}
    for code, data in load_parts(part_paths(content_dir, name)):
        if not isinstance(data, dict):
            raise PackError(f"{content_dir / code / name}: must be a mapping of key: text")
        for key, text in data.items():
            if not isinstance(key, str) or not isinstance(text, str) or not text.strip():
                raise PackError(f"{content_dir / code / name}: {key!r} must be a text")
            catalogue.setdefault(key, {})[code] = text
    if not catalogue:
        raise PackError(f"{content_dir}: no pack has {name}")
    return catalogue


TEXTS = load_catalogue("texts.yml")
"""Haven's own words, from each pack's texts.yml."""


CATALOGUES: list[dict[str, dict[str, str]]] = [TEXTS]
"""Where ``t()`` looks: this catalogue, and those the app adds (the staff group's, from
bot/common/stafftexts.py); the engine's Python reads only this one."""


def add_catalogue(texts: dict[str, dict[str, str]]) -> None:
    """Let ``t()`` find ``texts`` too; a key may be in one catalogue only."""
    if texts in CATALOGUES:
        return
    doubled = sorted(set(texts) & {key for catalogue in CATALOGUES for key in catalogue})
    if doubled:
        raise ValueError(f"text keys in two catalogues: {doubled}")
    CATALOGUES.append(texts)


def t(key: str, lang: str, **values: object) -> str:
    """Return the text for ``key`` in ``lang`` (English if missing), with ``values`` filled in."""
    for catalogue in CATALOGUES:
        variants = catalogue.get(key)
        if variants is not None:
            text = variants.get(lang) or variants["en"]
            return text.format(**values) if values else text
    raise KeyError(key)
