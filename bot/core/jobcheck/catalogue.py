"""The red-flag catalogue in content/job_flags.yml: loaded with type checks, re-read when edited."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.core.datafile import Reloading, read_yaml
from bot.core.errors import JobFlagsError
from bot.core.folding import HANGUL, fold
from bot.core.jobcheck.model import (
    FLAGS_FILE,
    MESSAGE_KEYS,
    PRACTICE_IDS,
    ROOT,
    SEVERE,
    SEVERITY,
    Flag,
    Practice,
)
from bot.core.packs import answering_parts

__all__ = [
    "JobTexts",
    "flag",
    "flag_entry",
    "flags_path",
    "gather",
    "job_texts",
    "job_texts_file",
    "load_job_texts",
    "message_entry",
    "norm",
    "ordered",
    "practice_entry",
    "word_parts",
]

# ------------------------------------------------------------------------------- loading

_DIGIT = re.compile(r"\d")


def _checked_text(value: Any, where: str, lang: str) -> str:
    """Return a non-empty text that is in the right script and states no number."""
    if not isinstance(value, str) or not value.strip():
        raise JobFlagsError(f"{where}: must be a non-empty string")
    if lang.startswith("ko") and not HANGUL.search(value):
        raise JobFlagsError(f"{where}: the Korean text has no Hangul")
    if not lang.startswith("ko") and HANGUL.search(value):
        raise JobFlagsError(f"{where}: the {lang} text contains Hangul")
    if _DIGIT.search(value):
        raise JobFlagsError(f"{where}: no digits allowed; numbers come from the facts module")
    return value.strip()


def _by_language(raw: Any, where: str, langs: tuple[str, ...]) -> dict[str, str]:
    """One wording in every language: ``{lang: text}``, each checked."""
    if not isinstance(raw, dict):
        raise JobFlagsError(f"{where}: must give the text in {', '.join(langs)}")
    return {lang: _checked_text(raw.get(lang), f"{where}.{lang}", lang) for lang in langs}


def flag_entry(raw: Any, index: int, langs: tuple[str, ...]) -> Flag:
    """Validate one flag entry (its id, source, and its title and text in each language)."""
    where = f"flags[{index}]"
    if not isinstance(raw, dict):
        raise JobFlagsError(f"{where}: must be a mapping")
    unknown = set(raw) - {"id", "text", "source", "title"}
    if unknown:
        raise JobFlagsError(f"{where}: unknown keys {sorted(unknown)}")
    name = raw.get("id")
    if not isinstance(name, str) or name not in SEVERITY:
        raise JobFlagsError(f"{where}: unknown id {name!r}; the code knows {sorted(SEVERITY)}")
    where = f"flags[{index}] ({name})"
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        raise JobFlagsError(f"{where}: 'source' must name the facts entry it rests on")
    return Flag(
        id=name,
        severity=SEVERITY[name],
        texts=_by_language(raw.get("text"), f"{where}.text", langs),
        source=source.strip(),
        titles=_by_language(raw.get("title"), f"{where}.title", langs),
    )


def practice_entry(raw: Any, index: int, langs: tuple[str, ...]) -> Practice:
    """Validate one practice of the file: known id, known flags, a sourced lead or none."""
    where = f"practices[{index}]"
    if not isinstance(raw, dict):
        raise JobFlagsError(f"{where}: must be a mapping")
    unknown = set(raw) - {"id", "flags", "lead", "source"}
    if unknown:
        raise JobFlagsError(f"{where}: unknown keys {sorted(unknown)}")
    name = raw.get("id")
    if not isinstance(name, str) or name not in PRACTICE_IDS:
        raise JobFlagsError(f"{where}: unknown id {name!r}; the code knows {list(PRACTICE_IDS)}")
    where = f"practices[{index}] ({name})"
    flags = raw.get("flags") or []
    if not isinstance(flags, list) or any(
        not isinstance(f, str) or f not in SEVERITY for f in flags
    ):
        raise JobFlagsError(f"{where}: 'flags' must list flag ids of this file")
    lead, source = raw.get("lead") or {}, raw.get("source")
    if not lead and not source:
        if not flags:
            raise JobFlagsError(f"{where}: needs flags or a lead sentence")
        return Practice(name, tuple(flags))
    if not isinstance(source, str) or not source.strip():
        raise JobFlagsError(f"{where}: a lead sentence needs the 'source' it rests on")
    leads = _by_language(lead, f"{where}.lead", langs)
    return Practice(name, tuple(flags), leads, source.strip())


def message_entry(raw: Any, key: str, langs: tuple[str, ...] = ("ko", "en")) -> dict[str, str]:
    """Validate one verdict message (every language)."""
    return _by_language(raw, f"messages.{key}", langs)


@dataclass(frozen=True)
class JobTexts:
    """The validated flags: by id with their wording, the verdict messages and the practices."""

    flags: dict[str, Flag]
    messages: dict[str, dict[str, str]]
    practices: dict[str, Practice] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Any, langs: tuple[str, ...] = ("ko", "en")) -> JobTexts:
        """Build from the gathered data (``gather``); raise ``JobFlagsError`` naming any bad entry.

        ``langs`` are the languages every wording must have.
        """
        if not isinstance(data, dict):
            raise JobFlagsError("top level must be a mapping with 'flags' and 'messages'")
        raw_flags = data.get("flags")
        if not isinstance(raw_flags, list):
            raise JobFlagsError("'flags' must be a list")
        flags: dict[str, Flag] = {}
        for index, raw in enumerate(raw_flags):
            item = flag_entry(raw, index, langs)
            if item.id in flags:
                raise JobFlagsError(f"flags[{index}]: duplicate id {item.id!r}")
            flags[item.id] = item
        missing = [name for name in SEVERITY if name not in flags]
        if missing:
            raise JobFlagsError(f"flags missing for ids {missing}")
        raw_messages = data.get("messages")
        if not isinstance(raw_messages, dict):
            raise JobFlagsError("'messages' must be a mapping")
        messages = {key: message_entry(raw_messages.get(key), key, langs) for key in MESSAGE_KEYS}
        raw_practices = data.get("practices") or []
        if not isinstance(raw_practices, list):
            raise JobFlagsError("'practices' must be a list")
        practices: dict[str, Practice] = {}
        for index, raw in enumerate(raw_practices):
            practice = practice_entry(raw, index, langs)
            practices[practice.id] = practice
        missing_practices = [name for name in PRACTICE_IDS if name not in practices]
        if raw_practices and missing_practices:
            raise JobFlagsError(f"practices missing for ids {missing_practices}")
        return cls(flags, messages, practices)

    def message(self, key: str, lang: str) -> str:
        """Return a verdict message in ``lang`` (English when the language has none)."""
        return self.messages[key].get(lang) or self.messages[key]["en"]


def flags_path() -> Path:
    """Find the flags file: the content directory in use, else the repository's."""
    configured = os.environ.get("HAVEN_CONTENT_DIR")
    if configured and (Path(configured) / FLAGS_FILE).is_file():
        return Path(configured) / FLAGS_FILE
    return ROOT / "content" / FLAGS_FILE


def word_parts(path: Path) -> tuple[Path, ...]:
    """The flags' words of every language Haven answers in (its pack's job_flags.yml)."""
    return answering_parts(path.parent, FLAGS_FILE)


def gather(path: Path, *parts: Path) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The shared file with each pack's words put in place, and the packs' languages.

    A flag becomes ``{id, source, title: {lang: ...}, text: {lang: ...}}``, a practice gains
    ``lead: {lang: ...}`` and ``messages`` maps each key to ``{lang: ...}``.
    """
    data = read_yaml(path, JobFlagsError)
    if not isinstance(data, dict):
        raise JobFlagsError(f"{path}: top level must be a mapping with 'flags'")
    words: dict[str, dict[str, Any]] = {}
    for part in parts or word_parts(path):
        raw = read_yaml(part, JobFlagsError)
        if not isinstance(raw, dict) or set(raw) - {"flags", "practices", "messages"}:
            raise JobFlagsError(f"{part}: a mapping of flags, practices and messages")
        for section in ("flags", "practices", "messages"):
            if not isinstance(raw.get(section) or {}, dict):
                raise JobFlagsError(f"{part}: '{section}' must map each id to its words")
        words[part.parent.name] = raw
    if not words:
        raise JobFlagsError(f"{path}: no language pack beside it has {FLAGS_FILE}")

    def worded(section: str, name: Any, field_name: str | None = None) -> dict[str, Any]:
        """One entry's words in each language (absent ones left out, for the check to name)."""
        found: dict[str, Any] = {}
        for lang, raw in words.items():
            entry = (raw.get(section) or {}).get(name) if isinstance(name, str) else None
            value = entry.get(field_name) if field_name and isinstance(entry, dict) else entry
            if value is not None:
                found[lang] = value
        return found

    gathered: dict[str, Any] = {"messages": {}}
    flags = data.get("flags")
    if isinstance(flags, list):
        gathered["flags"] = [
            {**raw, "title": worded("flags", raw.get("id"), "title"),
             "text": worded("flags", raw.get("id"), "text")}
            if isinstance(raw, dict) else raw
            for raw in flags
        ]  # fmt: skip
    else:
        gathered["flags"] = flags
    practices = data.get("practices")
    if isinstance(practices, list):
        gathered["practices"] = [
            {**raw, "lead": worded("practices", raw.get("id"))} if isinstance(raw, dict) else raw
            for raw in practices
        ]
    else:
        gathered["practices"] = practices
    for key in MESSAGE_KEYS:
        gathered["messages"][key] = worded("messages", key)
    return gathered, tuple(words)


def load_job_texts(path: Path, *parts: Path) -> JobTexts:
    """Read and validate the flags and their words; raise ``JobFlagsError`` naming the fault.

    ``parts`` are the packs' words (every answering pack's beside ``path`` when none are named).
    """
    parts = parts or word_parts(path)
    data, langs = gather(path, *parts)
    try:
        return JobTexts.from_dict(data, langs)
    except JobFlagsError as exc:
        # A wording at fault is named in its pack's file ("... .text.en: ..."), the rest here.
        where = next((p for p in parts if f".{p.parent.name}: " in str(exc)), path)
        raise JobFlagsError(f"{where}: {exc}") from None


_FILES: dict[Path, Reloading[JobTexts]] = {}


def job_texts_file(path: Path | None = None) -> Reloading[JobTexts]:
    """The reloading holder of one flags file (one per path, shared by every caller)."""
    target = path or flags_path()
    if target not in _FILES:
        parts = word_parts(target)
        _FILES[target] = Reloading(load_job_texts, target, *parts, error=JobFlagsError)
    return _FILES[target]


def job_texts(path: Path | None = None) -> JobTexts:
    """Return the flag texts, re-read when staff edited the file; a bad edit keeps the last good."""
    return job_texts_file(path).current()


def flag(flag_id: str) -> Flag:
    """Return the flag with this id, with its current wording."""
    return job_texts().flags[flag_id]


def ordered(ids: set[str]) -> tuple[Flag, ...]:
    """Turn flag ids into flags: severe first, then in catalogue order."""
    order = list(SEVERITY)
    ranked = sorted(ids, key=lambda i: (SEVERITY[i] != SEVERE, order.index(i)))
    texts = job_texts()
    return tuple(texts.flags[i] for i in ranked)


# ------------------------------------------------------------------------- normalisation

_SPACES = re.compile(r"[ \t\u00a0]+")


def norm(text: str) -> str:
    """Folded as the safety net folds (jamo kept, quotes straight, lowercase), one space."""
    return _SPACES.sub(" ", fold(text)).strip()
