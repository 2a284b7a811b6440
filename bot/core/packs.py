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
    "CODE",
    "HEARD_PARTS",
    "PACK_FILE",
    "PARTS",
    "REFERENCE",
    "ROOT_CONTENT",
    "Pack",
    "answering",
    "answering_parts",
    "gaps",
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


def answering(content_dir: Path = ROOT_CONTENT) -> tuple[str, ...]:
    """The codes of the languages Haven answers in, by rank."""
    return tuple(p.code for p in packs(content_dir) if p.answers)


def answering_parts(content_dir: Path, name: str) -> tuple[Path, ...]:
    """The part ``name`` of each pack Haven answers in, by rank (each must have one)."""
    return tuple(p.part(name) for p in packs(content_dir) if p.answers)


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


# ------------------------------------------------------------------------------ completeness

PARTS = ("texts.yml", "staff.yml", "canned.yml", "job_flags.yml", "places.yml", "words.yml",
         "safety_net.yml")  # fmt: skip
"""What a pack Haven answers in has, beside its pack.yml."""
HEARD_PARTS = ("safety_net.yml", "places.yml")
"""What a pack Haven only hears may have: its safety-net rules, spellings of place names."""
REFERENCE = "en"
"""The pack every answering pack is held against: the language t() falls back to."""


def gaps(content_dir: Path) -> list[str]:
    """What each pack lacks or has too much of, one line each ([] when every pack is complete).

    Read at the level of the files (keys, placeholders, lists): each part's own loader checks
    its values. A new language's folder gets the list of what to add.
    """
    found = packs(content_dir)
    answering = [p for p in found if p.answers]
    problems: list[str] = []
    if [p.answers for p in answering] != list(range(1, len(answering) + 1)):
        problems.append(f"{content_dir}: the 'answers' ranks must be 1, 2, ... without a gap")
    if REFERENCE not in {p.code for p in answering}:
        return [*problems, f"{content_dir}: no pack '{REFERENCE}' that Haven answers in"]
    reference = next(p for p in answering if p.code == REFERENCE)
    for pack in found:
        names = _yaml(pack.part(PACK_FILE))
        missing = [p.code for p in answering if not str(names.get(p.code) or "").strip()]
        if missing:
            problems.append(f"{pack.part(PACK_FILE)}: no name in {', '.join(missing)}")
        allowed = {PACK_FILE, *(PARTS if pack.answers else HEARD_PARTS)}
        for extra in sorted(f.name for f in pack.folder.iterdir() if f.name not in allowed):
            problems.append(f"{pack.folder / extra}: not a part of a pack ({', '.join(allowed)})")
        if pack.answers:
            problems += _answering_gaps(content_dir, pack, reference)
    return problems


def _answering_gaps(content_dir: Path, pack: Pack, reference: Pack) -> list[str]:
    """What an answering pack lacks against the reference pack and the shared files."""
    absent = [name for name in PARTS if not pack.part(name).is_file()]
    problems = [f"{pack.part(name)}: missing" for name in absent]
    for name in ("texts.yml", "staff.yml"):
        if name in absent or pack is reference:
            continue
        ours, theirs = _yaml(pack.part(name)), _yaml(reference.part(name))
        problems += [f"{pack.part(name)}: no {key}" for key in theirs if key not in ours]
        problems += [
            f"{pack.part(name)}: {key} has other placeholders than {reference.code}'s"
            for key, text in theirs.items()
            if key in ours and _placeholders(ours[key]) != _placeholders(text)
        ]
    if "canned.yml" not in absent:
        words = _yaml(pack.part("canned.yml"))
        for entry in _listed(_yaml(content_dir / "canned.yml").get("replies")):
            key = str(entry.get("key")) if isinstance(entry, dict) else ""
            if not isinstance(words.get(key), dict) or set(words[key]) != {"title", "text"}:
                problems.append(f"{pack.part('canned.yml')}: no title and text for {key}")
    if "job_flags.yml" not in absent:
        problems += _job_gaps(content_dir, pack, reference)
    if "places.yml" not in absent:
        named = _mapped(_yaml(pack.part("places.yml")).get("countries"))
        for code in _listed(_yaml(content_dir / "countries.yml").get("countries")):
            if not isinstance(named.get(code), dict) or not named[code].get("name"):
                problems.append(f"{pack.part('places.yml')}: no name for country {code}")
    if "safety_net.yml" not in absent and not _yaml(pack.part("safety_net.yml")).get("rules"):
        problems.append(f"{pack.part('safety_net.yml')}: no rules")
    return problems


def _job_gaps(content_dir: Path, pack: Pack, reference: Pack) -> list[str]:
    """The job-offer words an answering pack lacks."""
    shared = _yaml(content_dir / "job_flags.yml")
    ours, theirs = _yaml(pack.part("job_flags.yml")), _yaml(reference.part("job_flags.yml"))
    where = pack.part("job_flags.yml")
    problems: list[str] = []
    flags = _mapped(ours.get("flags"))
    for entry in _listed(shared.get("flags")):
        name = str(entry.get("id")) if isinstance(entry, dict) else ""
        if not isinstance(flags.get(name), dict) or set(flags[name]) != {"title", "text"}:
            problems.append(f"{where}: no title and text for flag {name}")
    leads = _mapped(ours.get("practices"))
    for entry in _listed(shared.get("practices")):
        if isinstance(entry, dict) and entry.get("source") and not leads.get(entry.get("id")):
            problems.append(f"{where}: no lead for practice {entry.get('id')}")
    messages = _mapped(ours.get("messages"))
    problems += [f"{where}: no message {key}" for key in _mapped(theirs.get("messages"))
                 if key not in messages]  # fmt: skip
    return problems


def _yaml(path: Path) -> dict[str, Any]:
    """A pack file's mapping ({} when it is not one: its loader says why)."""
    data = read_yaml(path, PackError)
    return data if isinstance(data, dict) else {}


def _placeholders(text: Any) -> set[str]:
    """The ``{name}`` placeholders of a text."""
    return set(re.findall(r"{(\w+)}", text)) if isinstance(text, str) else set()


def _listed(value: Any) -> list[Any]:
    """A list, or none (a malformed value is its own loader's to name)."""
    return value if isinstance(value, list) else []


def _mapped(value: Any) -> dict[Any, Any]:
    """A mapping, or an empty one (a malformed value is its own loader's to name)."""
    return value if isinstance(value, dict) else {}
