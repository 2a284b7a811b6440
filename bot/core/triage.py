"""Decide whether a message must reach a human: the NLU engine's verdict plus a word safety net.

People write from a watched phone, in a hurry, with typos and no spacing, and the engine may be
down. One message must be enough, so every message also goes through ``SafetyNet``: regexes
from ``content/safety_net.yml`` (staff-editable) run on normalised text, and context such as
news, films, "what if" questions or jokes vetoes a hit unless the writer plainly says they are
in danger now.

Markers name evidence beyond a hit: a covert-writing mark ("몰래", "delete this after") says the
phone may be watched, and a place (a building, a floor, a compound, or a place name Haven knows
from ``content/countries.yml``) completes a watched writer's message. A general question about
the crisis ("how do trapped people get out?") sets aside the engine's distress reading too.

Imports only the standard library, PyYAML and bot.core, and runs on Python 3.10,
because the action server imports it too.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

from bot.core.datafile import Problem, Reloading, read_yaml
from bot.core.errors import SafetyNetError
from bot.core.facts import Names
from bot.core.fastregex import (
    PATTERNS_KEPT,
    Alternation,
    Anchors,
    FastPattern,
    Present,
    letter_pairs,
)
from bot.core.folding import nfkc
from bot.core.netplaces import PLACES_FILE, AbroadNames, known_places
from bot.core.netviews import COMPACT, SPACED, VIEWS, views
from bot.core.packs import CODE, ROOT_CONTENT, Pack, packs, part_paths

__all__ = [
    "DISTRESS_INTENTS", "FAMILY", "HIGH", "NORMAL", "PLACE", "WATCHED", "NetHit", "Priority",
    "Reading", "SafetyNet", "SafetyNetFile", "Screen", "Triage", "Writer", "decide",
]  # fmt: skip

log = logging.getLogger(__name__)


class Priority(str, Enum):
    """How urgently a case needs staff; the values are what the case store keeps."""

    HIGH = "high"
    NORMAL = "normal"

    def __str__(self) -> str:
        """The stored value, so f-strings read "high" on Python 3.10 and 3.11 alike."""
        return str(self.value)


HIGH = Priority.HIGH
NORMAL = Priority.NORMAL

DISTRESS_INTENTS: dict[str, Priority] = {"report_distress": HIGH, "report_missing_person": NORMAL}

SELF = "self"
THIRD_PARTY = "third_party"
SOS = "sos"
CATEGORIES = (SELF, THIRD_PARTY, SOS)
# A rule's language is its pack's code (content/<code>/safety_net.yml; BCP 47 tags, ko-Latn is
# Korean typed in Latin letters), or "any" for the rules of the shared content/safety_net.yml.
ANY = "any"
NET_FILE = "safety_net.yml"
WATCHED = "watched"
PLACE = "place"
FAMILY = "family"
MARKER_KINDS = ("first_person", "present", "sincere", WATCHED, PLACE, FAMILY)

REMEMBERED_TEXTS = 256
_INTENT_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")

_RULE_KEYS = {
    "id", "category", "lang", "view", "patterns", "unless", "ignores", "always_self", "requires",
}  # fmt: skip
_MARKER_KEYS = {"id", "kind", "lang", "view", "patterns"}
_SUPPRESSOR_KEYS = {"id", "lang", "view", "patterns", "overridden_by", "question"}
_TOP_KEYS = {"version", "rules", "markers", "suppressors"}
_SECTIONS = ("rules", "markers", "suppressors")
ORIGIN = "__file__"
"""Where a pack's entry came from, so that a refusal names that file, not the shared one."""


@dataclass(frozen=True)
class NetHit:
    """Which rule fired; never the user's text, so it can go into logs and cases."""

    category: str
    rule: str
    lang: str = field(default="any", compare=False)
    """The language the rule was written for ("any" for pleas in many languages)."""


class Writer(str, Enum):
    """Who the words say is writing, which decides how the case opens and what they read."""

    PERSON = "person"
    """The person in danger, or nobody in particular: the usual answer."""
    WATCHED = "watched"
    """The person in danger, writing in secret: a discreet case and the quiet answer."""
    FAMILY = "family"
    """A relative or friend of the person held: the writer is the case's contact."""

    def __str__(self) -> str:
        """The value, as in ``Priority``."""
        return str(self.value)


@dataclass(frozen=True)
class Reading:
    """What the lexicon makes of a text: the hit, the evidence found, a general question."""

    hit: NetHit | None
    kinds: frozenset[str] = frozenset()
    question: bool = False
    """A general question about the crisis, with nobody said to be in danger now."""


@dataclass(frozen=True)
class Triage:
    """The decision for one message, with an audit detail free of user text."""

    escalate: bool
    priority: Priority | None
    source: str
    detail: str
    writer: Writer = Writer.PERSON


@dataclass(frozen=True)
class _Rule:
    """A compiled rule: patterns that fire, and its own exceptions."""

    id: str
    category: str
    lang: str
    view: str
    regex: Alternation | None
    unless: Alternation | None
    ignores: frozenset[str]
    always_self: bool
    requires: frozenset[str] = frozenset()
    """Marker kinds that must all be present too; a rule of evidence alone has no patterns."""


@dataclass(frozen=True)
class _Marker:
    """Compiled evidence of a kind (first person in danger, insisting it is real)."""

    id: str
    kind: str
    view: str
    regex: Alternation


@dataclass(frozen=True)
class _Suppressor:
    """Compiled context that vetoes hits unless one of ``overridden_by`` kinds is present."""

    id: str
    view: str
    regex: Alternation
    overridden_by: frozenset[str]
    question: bool = False
    """A general question about the crisis: it also sets aside the engine's distress reading."""


# --------------------------------------------------------------------------------- loading


def _compile(patterns: Any, where: str) -> Alternation:
    """Join a list of regex strings into one alternation, naming the bad one."""
    if not isinstance(patterns, list) or not patterns:
        raise SafetyNetError(f"{where}: 'patterns' must be a non-empty list of strings")
    parts: list[str] = []
    for i, pattern in enumerate(patterns):
        if not isinstance(pattern, str) or not pattern.strip():
            raise SafetyNetError(f"{where}: pattern #{i + 1} must be a non-empty string")
        pattern = nfkc(pattern)  # the message is folded the same way
        problem = _why_not(pattern)
        if problem is not None:
            raise SafetyNetError(
                f"{where}: pattern #{i + 1} {pattern!r} does not compile: {problem}"
            )
        parts.append(pattern)
    return Alternation.of(parts)


@functools.lru_cache(maxsize=PATTERNS_KEPT)
def _why_not(pattern: str) -> str | None:
    """Why ``pattern`` does not compile (None when it does); remembered across reloads."""
    try:
        re.compile(pattern)
    except re.error as exc:
        return str(exc)
    return None


def _entry_basics(
    raw: Any, section: str, index: int, allowed: set[str], seen: set[str], unspaced: frozenset[str]
) -> tuple[dict[str, Any], str, str]:
    """Check an entry's shape, id and language; return it with its id and default view."""
    if not isinstance(raw, dict):
        raise SafetyNetError(f"{section}[{index}]: each entry must be a mapping")
    entry_id = raw.get("id")
    origin = f"{raw[ORIGIN]}: " if ORIGIN in raw else ""
    where = f"{origin}{section}[{index}]"
    if not isinstance(entry_id, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", entry_id):
        raise SafetyNetError(f"{where}: 'id' must be a lowercase name like ko_passport")
    where = f"{origin}{section} '{entry_id}'"
    if entry_id in seen:
        raise SafetyNetError(f"{where}: duplicate id")
    seen.add(entry_id)
    unknown = set(raw) - allowed - {ORIGIN}
    if unknown:
        raise SafetyNetError(f"{where}: unknown keys {sorted(unknown)}")
    lang = raw.get("lang")
    if lang != ANY and not (isinstance(lang, str) and CODE.fullmatch(lang)):
        raise SafetyNetError(f"{where}: 'lang' must be a language tag (its pack's) or 'any'")
    view = raw.get("view", COMPACT if lang in unspaced else SPACED)
    if view not in VIEWS:
        raise SafetyNetError(f"{where}: 'view' must be one of {VIEWS}")
    return raw, where, view


def _gather(shared: Any, parts: list[tuple[Pack, Any]]) -> dict[str, Any]:
    """One lexicon from the shared file and the packs' files, each entry marked with its language.

    Order counts (the first rule that fires names the case): the rules of the languages Haven
    answers in, then the shared file's, then those of the languages it only hears.
    """
    if not isinstance(shared, dict):
        raise SafetyNetError("top level must be a mapping with 'rules'")
    first = [(pack, data) for pack, data in parts if pack.answers]
    last = [(pack, data) for pack, data in parts if not pack.answers]
    merged: dict[str, Any] = {key: value for key, value in shared.items() if key not in _SECTIONS}
    for section in _SECTIONS:
        entries: list[Any] = []
        for pack, data in first:
            entries += _entries_of(pack, data, section)
        entries += [
            {"lang": ANY, **entry} if isinstance(entry, dict) else entry
            for entry in _listed(shared, section)
        ]
        for pack, data in last:
            entries += _entries_of(pack, data, section)
        merged[section] = entries
    return merged


def _listed(data: dict[str, Any], section: str) -> list[Any]:
    """A section's entries (none when absent)."""
    value = data.get(section) or []
    if not isinstance(value, list):
        raise SafetyNetError(f"'{section}' must be a list")
    return value


def _entries_of(pack: Pack, data: Any, section: str) -> list[Any]:
    """A pack file's entries of ``section``, marked with the pack's language and the file."""
    path = pack.part(NET_FILE)
    if not isinstance(data, dict) or set(data) - set(_SECTIONS):
        raise SafetyNetError(f"{path}: a mapping of {', '.join(_SECTIONS)} only")
    entries = []
    for index, entry in enumerate(_listed(data, section)):
        if not isinstance(entry, dict):
            raise SafetyNetError(f"{path}: {section}[{index}]: each entry must be a mapping")
        if "lang" in entry:
            raise SafetyNetError(f"{path}: {entry.get('id')!r} has 'lang': its folder says it")
        entries.append({**entry, "lang": pack.code, ORIGIN: str(path)})
    return entries


def _str_list(raw: Any, where: str, key: str) -> list[str]:
    """Read an optional list of names."""
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SafetyNetError(f"{where}: '{key}' must be a list of names")
    return list(value)


class SafetyNet:
    """Word rules that catch distress on their own, loaded once from ``safety_net.yml``."""

    def __init__(
        self,
        rules: tuple[_Rule, ...],
        markers: tuple[_Marker, ...],
        suppressors: tuple[_Suppressor, ...],
        places: tuple[Names, ...] = (),
    ) -> None:
        """Keep the compiled entries; ``places`` are the place names that count as a PLACE."""
        self.rules = rules
        self.markers = markers
        self.suppressors = suppressors
        self.places = places
        self._anchors = {view: Anchors(self._parts(view)) for view in VIEWS}
        self._places = AbroadNames(places)
        self._remembered = functools.lru_cache(maxsize=REMEMBERED_TEXTS)(self._read)

    def _parts(self, view: str) -> list[FastPattern]:
        """Every pattern that runs on ``view``: rules, their exceptions, markers, suppressors."""
        alternations: list[Alternation | None] = [
            *(a for r in self.rules if r.view == view for a in (r.regex, r.unless)),
            *(m.regex for m in self.markers if m.view == view),
            *(s.regex for s in self.suppressors if s.view == view),
        ]
        return [part for a in alternations if a is not None for part in a.parts]

    @classmethod
    def load(cls, path: Path, *parts: Path) -> SafetyNet:
        """Read and compile the lexicon; raise ``SafetyNetError`` naming any bad entry.

        ``path`` is the shared file (rules for any language); ``parts`` are the language packs'
        files (every pack's beside it when none are named). The place names of
        ``countries.yml`` beside it are read too (none if it is absent).
        """
        found = packs(path.parent)
        by_code = {pack.code: pack for pack in found}
        if not parts:  # those of the packs just read: pack.yml is not read twice
            parts = tuple(p.part(NET_FILE) for p in found if p.part(NET_FILE).is_file())
        data = read_yaml(path, SafetyNetError)
        try:
            gathered = [
                (by_code[part.parent.name], read_yaml(part, SafetyNetError)) for part in parts
            ]
        except KeyError as exc:
            raise SafetyNetError(
                f"{path.parent / str(exc.args[0])}: not a pack (no pack.yml)"
            ) from None
        unspaced = frozenset(pack.code for pack in found if not pack.spaced)
        try:
            merged = _gather(data, gathered)
            return cls.from_dict(merged, known_places(path.parent / PLACES_FILE), unspaced)
        except SafetyNetError as exc:
            if any(str(exc).startswith(str(part)) for part in parts):
                raise
            raise SafetyNetError(f"{path}: {exc}") from None

    @classmethod
    def from_dict(
        cls, data: Any, places: tuple[Names, ...] = (), unspaced: frozenset[str] | None = None
    ) -> SafetyNet:
        """Build from already-parsed YAML (one top-level mapping, each entry with its ``lang``).

        ``unspaced`` are the languages whose rules run on the compact view by default (the
        repository's packs say which when not given).
        """
        if unspaced is None:
            unspaced = frozenset(pack.code for pack in packs(ROOT_CONTENT) if not pack.spaced)
        if not isinstance(data, dict):
            raise SafetyNetError("top level must be a mapping with 'rules'")
        unknown = set(data) - _TOP_KEYS
        if unknown:
            raise SafetyNetError(f"unknown top-level keys {sorted(unknown)}")
        seen: set[str] = set()
        markers = tuple(
            cls._marker(raw, i, seen, unspaced) for i, raw in enumerate(data.get("markers") or [])
        )
        suppressors = tuple(
            cls._suppressor(raw, i, seen, unspaced)
            for i, raw in enumerate(data.get("suppressors") or [])
        )
        raw_rules = data.get("rules")
        if not isinstance(raw_rules, list) or not raw_rules:
            raise SafetyNetError("'rules' must be a non-empty list")
        suppressor_ids = {s.id for s in suppressors}
        rules = tuple(
            cls._rule(raw, i, seen, suppressor_ids, unspaced) for i, raw in enumerate(raw_rules)
        )
        return cls(rules, markers, suppressors, places)

    @staticmethod
    def _rule(
        raw: Any, index: int, seen: set[str], suppressor_ids: set[str], unspaced: frozenset[str]
    ) -> _Rule:
        """Validate and compile one rule."""
        raw, where, view = _entry_basics(raw, "rules", index, _RULE_KEYS, seen, unspaced)
        category = raw.get("category")
        if category not in CATEGORIES:
            raise SafetyNetError(f"{where}: 'category' must be one of {CATEGORIES}")
        ignores = _str_list(raw, where, "ignores")
        missing = set(ignores) - suppressor_ids
        if missing:
            raise SafetyNetError(f"{where}: 'ignores' names unknown suppressors {sorted(missing)}")
        always_self = raw.get("always_self", False)
        if not isinstance(always_self, bool):
            raise SafetyNetError(f"{where}: 'always_self' must be true or false")
        requires = _str_list(raw, where, "requires")
        if set(requires) - set(MARKER_KINDS):
            raise SafetyNetError(f"{where}: 'requires' kinds must be in {MARKER_KINDS}")
        patterns = raw.get("patterns")
        if patterns is None and not requires:
            raise SafetyNetError(f"{where}: a rule needs 'patterns', or 'requires' alone")
        unless = raw.get("unless")
        return _Rule(
            id=raw["id"],
            category=category,
            lang=raw["lang"],
            view=view,
            regex=_compile(patterns, where) if patterns is not None else None,
            unless=_compile(unless, f"{where} unless") if unless is not None else None,
            ignores=frozenset(ignores),
            always_self=always_self,
            requires=frozenset(requires),
        )

    @staticmethod
    def _marker(raw: Any, index: int, seen: set[str], unspaced: frozenset[str]) -> _Marker:
        """Validate and compile one marker."""
        raw, where, view = _entry_basics(raw, "markers", index, _MARKER_KEYS, seen, unspaced)
        kind = raw.get("kind")
        if kind not in MARKER_KINDS:
            raise SafetyNetError(f"{where}: 'kind' must be one of {MARKER_KINDS}")
        return _Marker(raw["id"], kind, view, _compile(raw.get("patterns"), where))

    @staticmethod
    def _suppressor(raw: Any, index: int, seen: set[str], unspaced: frozenset[str]) -> _Suppressor:
        """Validate and compile one suppressor."""
        raw, where, view = _entry_basics(
            raw, "suppressors", index, _SUPPRESSOR_KEYS, seen, unspaced
        )
        kinds = _str_list(raw, where, "overridden_by")
        bad = set(kinds) - set(MARKER_KINDS)
        if bad:
            raise SafetyNetError(f"{where}: 'overridden_by' kinds must be in {MARKER_KINDS}")
        question = raw.get("question", False)
        if not isinstance(question, bool):
            raise SafetyNetError(f"{where}: 'question' must be true or false")
        regex = _compile(raw.get("patterns"), where)
        return _Suppressor(raw["id"], view, regex, frozenset(kinds), question)

    # ------------------------------------------------------------------------------ matching

    def forget(self) -> None:
        """Drop every remembered answer, so the next text is read as if never seen (for
        benchmarks: a message in real use is new)."""
        self._remembered.cache_clear()
        letter_pairs.cache_clear()

    def check(self, text: str) -> NetHit | None:
        """Return the strongest surviving hit for ``text``, or None."""
        return self.read(text).hit

    def read(self, text: str) -> Reading:
        """The hit for ``text`` with the evidence found and whether it is a general question.

        Recent answers are remembered, so a message screened early (while the store reads)
        is not matched again when the verdict is made.
        """
        return self._remembered(text)

    def _kinds(self, text: str, seen: dict[str, Present]) -> frozenset[str]:
        """The kinds of evidence in the text: the markers', and PLACE for a known place name
        where a rule needs it."""
        kinds = {m.kind for m in self.markers if m.regex.search(seen[m.view])}
        # Names are looked for only where a place would complete a rule (it costs the most).
        wanted = any(PLACE in r.requires and r.requires - {PLACE} <= kinds for r in self.rules)
        if wanted and PLACE not in kinds and self._places.named(text):
            kinds.add(PLACE)
        return frozenset(kinds)

    def _read(self, text: str) -> Reading:
        if not text or not text.strip():
            return Reading(None)
        seen = {view: Present(shown, self._anchors[view]) for view, shown in views(text).items()}
        kinds = self._kinds(text, seen)
        hits = [
            rule
            for rule in self.rules
            if rule.requires <= kinds
            and (rule.regex is None or rule.regex.search(seen[rule.view]))
            and not (rule.unless is not None and rule.unless.search(seen[rule.view]))
        ]
        # Without a hit only the general-question suppressors can change the reading.
        vetoes = {
            s.id: s.question
            for s in self.suppressors
            if (hits or s.question)
            and not (s.overridden_by & kinds)
            and s.regex.search(seen[s.view])
        }
        question = any(vetoes.values())
        kept = [rule for rule in hits if not (set(vetoes) - rule.ignores)]
        if not kept:
            return Reading(None, kinds, question)
        third = [rule for rule in kept if rule.category == THIRD_PARTY]
        own = [rule for rule in kept if rule.category != THIRD_PARTY]
        if third and "first_person" not in kinds:
            own = [rule for rule in own if rule.always_self]
        best = own[0] if own else third[0]
        # The language evidence: a rule written for one language says more than "any".
        lang = next((rule.lang for rule in kept if rule.lang != "any"), best.lang)
        return Reading(NetHit(best.category, best.id, lang), kinds, question)

    def counts(self) -> dict[str, int]:
        """Number of rules per category, for the start-up log and reports."""
        out = {category: 0 for category in CATEGORIES}
        for rule in self.rules:
            out[rule.category] += 1
        return out


# ---------------------------------------------------------------------------------- decide


class Screen(Protocol):
    """Anything that screens a text for distress: the lexicon, or the file that reloads it."""

    def check(self, text: str) -> NetHit | None:
        """Return the strongest hit for ``text``, or None."""

    def read(self, text: str) -> Reading:
        """Return the hit for ``text`` with its evidence."""


class SafetyNetFile(Reloading[SafetyNet]):
    """The safety net re-read when staff edit it; a bad edit keeps the last good lexicon."""

    def __init__(self, path: Path, on_problem: Problem | None = None) -> None:
        """Remember the file; nothing is read until the first check."""
        parts = part_paths(path.parent, NET_FILE)
        super().__init__(SafetyNet.load, path, *parts, error=SafetyNetError, on_problem=on_problem)

    def check(self, text: str) -> NetHit | None:
        """Screen ``text`` with the lexicon in force."""
        return self.current().check(text)

    def read(self, text: str) -> Reading:
        """Read ``text`` with the lexicon in force."""
        return self.current().read(text)


def decide(
    text: str,
    intent: str | None,
    confidence: float | None,
    net: Screen,
    threshold: float = 0.6,
) -> Triage:
    """Escalate when the engine is confident of distress or the net fires; either can say HIGH.

    A general question about the crisis that no rule holds for distress sets the engine's
    distress reading aside: it gets an answer, not a case. The writer is FAMILY when the case is
    about someone else, WATCHED when the person in danger writes with a covert-writing mark.
    """
    engine_priority: Priority | None = None
    if intent in DISTRESS_INTENTS and confidence is not None and confidence >= threshold:
        engine_priority = DISTRESS_INTENTS[intent]
    reading = net.read(text)
    hit = reading.hit
    if intent is None or confidence is None:
        engine_note = "engine:none"
    elif _INTENT_NAME.fullmatch(intent):
        engine_note = f"{intent} {confidence:.2f}"
    else:
        engine_note = f"engine:unnamed {confidence:.2f}"
    if engine_priority is not None and hit is None and reading.question:
        engine_priority = None
        engine_note += "; net:question"
    net_note = f"net:{hit.category}/{hit.rule}" if hit else ""
    if engine_priority is None and hit is None:
        return Triage(False, None, "none", engine_note)
    net_high = hit is not None and hit.category in (SELF, SOS)
    priority = HIGH if engine_priority == HIGH or net_high else NORMAL
    writer = _writer(hit, engine_priority, reading.kinds)
    if engine_priority is not None and hit is not None:
        return Triage(True, priority, "both", f"{engine_note}; {net_note}", writer)
    if hit is not None:
        return Triage(True, priority, "net", net_note, writer)
    return Triage(True, priority, "engine", engine_note, writer)


def _writer(hit: NetHit | None, engine: Priority | None, kinds: frozenset[str]) -> Writer:
    """Who writes an escalated message: the net's category first, then the engine's intent.

    A rule for the writer's own danger yields to the engine's "someone else" when the words
    name a relative held and never the writer ("막내가 돈 보내야 풀려난대요").
    """
    relative = engine == NORMAL and FAMILY in kinds and "first_person" not in kinds
    about_another = hit.category == THIRD_PARTY or relative if hit is not None else engine == NORMAL
    if about_another:
        return Writer.FAMILY
    if WATCHED in kinds:
        return Writer.WATCHED
    return Writer.PERSON
