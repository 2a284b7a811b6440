"""Language packs: everything one language needs, in one folder under content/.

``content/<code>/pack.yml`` names the language; beside it the pack's parts (its texts, its
safety-net rules, its canned replies, its place names, its job-flag wording, its words). A
language Haven answers in (``answers: <rank>``) has every part; a language Haven only hears
has its names for staff, its safety-net rules and, where one was vetted, a one-line reply.
The shared files in content/ (``safety_net.yml``, ``canned.yml``, ``job_flags.yml``,
``countries.yml``) hold what no language owns, and their loaders read each pack's part of
the same name: adding a language is adding its folder (and its training data), and
tests/unit/core/test_packs.py says what a new folder still lacks.

Imports only the standard library, PyYAML and bot.core, and runs on Python 3.10.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.core.datafile import read_yaml
from bot.core.errors import DataFileError, PackError

__all__ = [
    "PACK_FILE",
    "ROOT_CONTENT",
    "Pack",
    "load_parts",
    "pack_paths",
    "packs",
    "part_paths",
    "parts_of",
]

PACK_FILE = "pack.yml"
ROOT_CONTENT = Path(__file__).resolve().parents[2] / "content"
"""The repository's content folder: Haven's own words (texts, staff texts) are read from it."""

CODE = re.compile(r"[a-z]{2,3}(?:-[A-Z][a-z]{3})?")


@dataclass(frozen=True)
class Pack:
    """One language's folder: its code, where it is, and whether Haven answers in it."""

    code: str
    folder: Path
    answers: int = 0
    """Rank among the languages Haven answers in (1 first); 0 for a language it only hears."""
    spaced: bool = True
    """Written with spaces between words; false (Korean, Chinese, Thai...) runs its safety-net
    rules on the text with every space removed."""

    def part(self, name: str) -> Path:
        """The path of this pack's part ``name`` (it may not exist)."""
        return self.folder / name


def packs(content_dir: Path) -> tuple[Pack, ...]:
    """The packs under ``content_dir``: those Haven answers in by rank, then the rest by code.

    Only the folder's ``answers`` is read here; the loader of each part checks the rest.
    """
    found: list[Pack] = []
    for folder in sorted(Path(content_dir).iterdir()) if Path(content_dir).is_dir() else ():
        if not (folder / PACK_FILE).is_file():
            continue
        if not CODE.fullmatch(folder.name):
            raise PackError(f"{folder}: a pack's folder is named by its language tag (tl, ko-Latn)")
        raw = read_yaml(folder / PACK_FILE, PackError)
        if not isinstance(raw, dict):
            raise PackError(f"{folder / PACK_FILE}: must be a mapping with 'en' and 'ko'")
        answers = raw.get("answers", 0)
        if isinstance(answers, bool) or not isinstance(answers, int) or answers < 0:
            raise PackError(f"{folder / PACK_FILE}: 'answers' is a rank (1, 2, ...) or left out")
        spaced = raw.get("spaced", True)
        if not isinstance(spaced, bool):
            raise PackError(f"{folder / PACK_FILE}: 'spaced' is true or false")
        found.append(Pack(folder.name, folder, answers, spaced))
    ranks = [p.answers for p in found if p.answers]
    if len(ranks) != len(set(ranks)):
        raise PackError(f"{content_dir}: two packs have the same 'answers' rank")
    return tuple(sorted(found, key=lambda p: (p.answers == 0, p.answers, p.code)))


def parts_of(content_dir: Path, name: str) -> tuple[tuple[Pack, Path], ...]:
    """Each pack that has the part ``name``, with that part's path, in pack order."""
    return tuple((p, p.part(name)) for p in packs(content_dir) if p.part(name).is_file())


def pack_paths(content_dir: Path) -> tuple[Path, ...]:
    """Every ``pack.yml`` under ``content_dir``, in pack order."""
    return tuple(p.part(PACK_FILE) for p in packs(content_dir))


def part_paths(content_dir: Path, name: str) -> tuple[Path, ...]:
    """The part ``name`` of each pack that has one, in pack order."""
    return tuple(path for _, path in parts_of(content_dir, name))


def load_parts(
    paths: tuple[Path, ...], error: type[DataFileError] = PackError
) -> list[tuple[str, Any]]:
    """Parse each pack part: ``(code, data)`` with the code its folder names."""
    return [(path.parent.name, read_yaml(path, error)) for path in paths]
