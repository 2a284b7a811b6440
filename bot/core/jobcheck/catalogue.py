"""The red-flag catalogue in content/job_flags.yml: loaded with type checks, re-read when edited."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.core.datafile import Reloading, read_yaml
from bot.core.errors import JobFlagsError
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
from bot.core.text import HANGUL, fold

__all__ = [
    "JobTexts",
    "flag",
    "flag_entry",
    "flags_path",
    "job_texts",
    "job_texts_file",
    "load_job_texts",
    "message_entry",
    "norm",
    "ordered",
    "practice_entry",
]

# ------------------------------------------------------------------------------- loading

_DIGIT = re.compile(r"\d")


def _checked_text(value: Any, where: str, lang: str) -> str:
    """Return a non-empty text that is in the right script and states no number."""
    if not isinstance(value, str) or not value.strip():
        raise JobFlagsError(f"{where}: must be a non-empty string")
    if lang == "ko" and not HANGUL.search(value):
        raise JobFlagsError(f"{where}: the Korean text has no Hangul")
    if lang == "en" and HANGUL.search(value):
        raise JobFlagsError(f"{where}: the English text contains Hangul")
    if _DIGIT.search(value):
        raise JobFlagsError(f"{where}: no digits allowed; numbers come from the facts module")
    return value.strip()


def flag_entry(raw: Any, index: int) -> Flag:
    """Validate one flag entry of the file."""
    where = f"flags[{index}]"
    if not isinstance(raw, dict):
        raise JobFlagsError(f"{where}: must be a mapping")
    unknown = set(raw) - {"id", "text_ko", "text_en", "source", "title_ko", "title_en"}
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
        text_ko=_checked_text(raw.get("text_ko"), f"{where}.text_ko", "ko"),
        text_en=_checked_text(raw.get("text_en"), f"{where}.text_en", "en"),
        source=source.strip(),
        title_ko=_checked_text(raw.get("title_ko"), f"{where}.title_ko", "ko"),
        title_en=_checked_text(raw.get("title_en"), f"{where}.title_en", "en"),
    )


def practice_entry(raw: Any, index: int) -> Practice:
    """Validate one practice of the file: known id, known flags, a sourced lead or none."""
    where = f"practices[{index}]"
    if not isinstance(raw, dict):
        raise JobFlagsError(f"{where}: must be a mapping")
    unknown = set(raw) - {"id", "flags", "lead_ko", "lead_en", "source"}
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
    lead_ko, lead_en, source = raw.get("lead_ko"), raw.get("lead_en"), raw.get("source")
    if lead_ko is None and lead_en is None:
        if not flags:
            raise JobFlagsError(f"{where}: needs flags or a lead sentence")
        return Practice(name, tuple(flags))
    if not isinstance(source, str) or not source.strip():
        raise JobFlagsError(f"{where}: a lead sentence needs the 'source' it rests on")
    return Practice(
        name,
        tuple(flags),
        _checked_text(lead_ko, f"{where}.lead_ko", "ko"),
        _checked_text(lead_en, f"{where}.lead_en", "en"),
        source.strip(),
    )


def message_entry(raw: Any, key: str) -> dict[str, str]:
    """Validate one verdict message (both languages)."""
    if not isinstance(raw, dict):
        raise JobFlagsError(f"messages.{key}: must be a mapping with 'ko' and 'en'")
    return {
        lang: _checked_text(raw.get(lang), f"messages.{key}.{lang}", lang) for lang in ("ko", "en")
    }


@dataclass(frozen=True)
class JobTexts:
    """The validated contents of ``job_flags.yml``: flags by id and the verdict messages."""

    flags: dict[str, Flag]
    messages: dict[str, dict[str, str]]
    practices: dict[str, Practice] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Any) -> JobTexts:
        """Build from parsed YAML; raise ``JobFlagsError`` naming any bad entry."""
        if not isinstance(data, dict):
            raise JobFlagsError("top level must be a mapping with 'flags' and 'messages'")
        raw_flags = data.get("flags")
        if not isinstance(raw_flags, list):
            raise JobFlagsError("'flags' must be a list")
        flags: dict[str, Flag] = {}
        for index, raw in enumerate(raw_flags):
            item = flag_entry(raw, index)
            if item.id in flags:
                raise JobFlagsError(f"flags[{index}]: duplicate id {item.id!r}")
            flags[item.id] = item
        missing = [name for name in SEVERITY if name not in flags]
        if missing:
            raise JobFlagsError(f"flags missing for ids {missing}")
        raw_messages = data.get("messages")
        if not isinstance(raw_messages, dict):
            raise JobFlagsError("'messages' must be a mapping")
        messages = {key: message_entry(raw_messages.get(key), key) for key in MESSAGE_KEYS}
        raw_practices = data.get("practices") or []
        if not isinstance(raw_practices, list):
            raise JobFlagsError("'practices' must be a list")
        practices: dict[str, Practice] = {}
        for index, raw in enumerate(raw_practices):
            practice = practice_entry(raw, index)
            practices[practice.id] = practice
        missing_practices = [name for name in PRACTICE_IDS if name not in practices]
        if raw_practices and missing_practices:
            raise JobFlagsError(f"practices missing for ids {missing_practices}")
        return cls(flags, messages, practices)

    def message(self, key: str, lang: str) -> str:
        """Return a verdict message in ``lang`` (English unless Korean)."""
        return self.messages[key]["ko" if lang == "ko" else "en"]


def flags_path() -> Path:
    """Find the flags file: the content directory in use, else the repository's."""
    configured = os.environ.get("HAVEN_CONTENT_DIR")
    if configured and (Path(configured) / FLAGS_FILE).is_file():
        return Path(configured) / FLAGS_FILE
    return ROOT / "content" / FLAGS_FILE


def load_job_texts(path: Path) -> JobTexts:
    """Read and validate the flags file; raise ``JobFlagsError`` naming the bad entry."""
    data = read_yaml(path, JobFlagsError)
    try:
        return JobTexts.from_dict(data)
    except JobFlagsError as exc:
        raise JobFlagsError(f"{path}: {exc}") from None


_FILES: dict[Path, Reloading[JobTexts]] = {}


def job_texts_file(path: Path | None = None) -> Reloading[JobTexts]:
    """The reloading holder of one flags file (one per path, shared by every caller)."""
    target = path or flags_path()
    if target not in _FILES:
        _FILES[target] = Reloading(load_job_texts, target, error=JobFlagsError)
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
