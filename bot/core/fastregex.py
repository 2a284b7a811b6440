"""Regexes that skip the text they cannot match: literal anchors and a first-character guard.

The safety net runs some 200 alternations over every message; run plainly, each one tries
every position of a 4,096-character message (some 30 ms a message). Most patterns cannot
match without one of a few literal strings ("여권", "passport"): ``FastPattern`` is not run
at all when none of them is in the text, and when it runs, the regex engine jumps straight
to the positions where a match can start (its first characters). Both are derived from the
parsed pattern and only ever leave out work that cannot match, so a search finds a match
exactly when the plain pattern does; a pattern the analysis does not understand runs as it is.

``hazards`` names the pattern shapes whose cost grows faster than the text (an unbounded
repeat inside another, or one that can start a match at every position of a run), so the
lexicon's tests can refuse them.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bot.core.regexparse import (
    AT_START,
    CLASS_ESCAPES,
    IGNORECASE_FLAG,
    REPEATS,
    SRE,
    ZERO_WIDTH,
)

__all__ = [
    "PATTERNS_KEPT",
    "Alternation",
    "Anchors",
    "FastPattern",
    "Present",
    "alternatives",
    "letter_pairs",
]


MAX_SET = 64
"""Most strings an exact or required set keeps; beyond, the analysis gives the node up."""
KEY_WEIGHT = 4
"""A string this rare (two Hangul syllables, four Latin letters) is a good enough anchor."""
PAIRS_AFTER = 64
"""Past this many strings to look for, the text's letter pairs are collected first: one pass
over the text instead of one per string."""
PATTERNS_KEPT = 8192
"""Analysed patterns remembered across loads (the lexicon has some 2,100)."""
MAX_RANGE = 16
"""Widest character range [a-p] read as its letters."""
Strings = frozenset[str]


class _GiveUp(Exception):
    """The pattern uses something the analysis does not read; it runs unguarded."""


# ------------------------------------------------------------------------- literal anchors


def _weight(text: str) -> int:
    """How rare a string is in messages: letters of other scripts count double, spaces not."""
    return sum(0 if ch == " " else 1 if ch.isascii() else 2 for ch in text)


def _key(text: str) -> str:
    """The shortest start of ``text`` that is rare enough (two syllables, four letters): any
    part of a string a match needs is needed too, and short keys are shared by patterns."""
    for end in range(1, len(text)):
        if _weight(text[:end]) >= KEY_WEIGHT:
            return text[:end]
    return text


def _minimal(strings: Iterable[str]) -> Strings:
    """Cut each string to its key and drop every one that contains another: the shorter one
    occurs wherever the longer one does."""
    kept: list[str] = []
    for s in sorted({_key(s) for s in strings}, key=len):
        if not any(k in s for k in kept):
            kept.append(s)
    return frozenset(kept)


def _best(candidates: list[Strings]) -> Strings | None:
    """The most selective requirement: rare enough strings first, then the fewest."""
    keyed = [_minimal(c) for c in candidates if c and "" not in c]
    if not keyed:
        return None
    return max(keyed, key=lambda c: (min(KEY_WEIGHT, min(map(_weight, c))), -len(c)))


def _product(left: Strings, right: Strings) -> Strings | None:
    """Every concatenation, or None when there would be too many."""
    if len(left) * len(right) > MAX_SET:
        return None
    return frozenset(a + b for a in left for b in right)


def _class_chars(items: list[tuple[Any, Any]]) -> Strings | None:
    """The characters of a small positive class like [금굼끔], or None."""
    chars: set[str] = set()
    for op, av in items:
        if op.name == "LITERAL":
            chars.add(chr(av))
        elif op.name == "RANGE" and av[1] - av[0] < MAX_RANGE:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None
    return frozenset(chars) if len(chars) <= MAX_SET else None


def _node(op: Any, av: Any) -> tuple[Strings | None, Strings | None]:
    """(exact, required) for one parsed node: the strings it can match if there are few,
    and strings one of which occurs in every match of it (None when unknown)."""
    name = op.name
    if name == "LITERAL":
        exact: Strings | None = frozenset({chr(av)})
        return exact, exact
    if name == "IN":
        exact = _class_chars(av)
        return exact, exact
    if name in ZERO_WIDTH:
        return frozenset({""}), None
    if name == "SUBPATTERN":
        if av[1] & IGNORECASE_FLAG:
            raise _GiveUp(name)
        return _sequence(av[3])
    if name == "ATOMIC_GROUP":
        return _sequence(av)
    if name == "BRANCH":
        parts = [_sequence(alternative) for alternative in av[1]]
        exacts = [e for e, _ in parts]
        exact = None
        if all(e is not None for e in exacts):
            union = frozenset().union(*(e for e in exacts if e is not None))
            exact = union if len(union) <= MAX_SET else None
        reqs = [r for _, r in parts]
        required = None
        if all(r is not None for r in reqs):
            required = _minimal(s for r in reqs if r is not None for s in r)
        return exact, required
    if name in REPEATS:
        low, high, body = av
        sub_exact, sub_required = _sequence(body)
        if low == 0:
            if high == 1 and sub_exact is not None:
                return sub_exact | {""}, None
            return None, None
        exact = None
        if low == high and sub_exact is not None:
            exact = frozenset({""})
            for _ in range(low):
                exact = _product(exact, sub_exact)
                if exact is None:
                    break
        return exact, _best([c for c in (exact, sub_required) if c is not None])
    return None, None  # any character, a negated class, a back-reference: nothing to anchor


def _sequence(pattern: Any) -> tuple[Strings | None, Strings | None]:
    """(exact, required) for a sequence: neighbouring exact nodes join into longer strings."""
    candidates: list[Strings] = []
    run: Strings | None = frozenset({""})
    complete = True
    for op, av in pattern.data:
        exact, required = _node(op, av)
        if required is not None:
            candidates.append(required)
        if exact is None:
            complete = False
            if run is not None:
                candidates.append(run)
            run = frozenset({""})
            continue
        joined = _product(run, exact) if run is not None else None
        if joined is None:
            complete = False
            if run is not None:
                candidates.append(run)
            joined = exact
        run = joined
    if run is not None:
        candidates.append(run)
    return (run if complete else None), _best(candidates)


# ---------------------------------------------------------------------- first characters


def _first_node(op: Any, av: Any) -> tuple[list[tuple[Any, Any]], bool]:
    """The class items a match of this node can start with, and whether it can be empty."""
    name = op.name
    if name == "LITERAL":
        return [(op, av)], False
    if name == "IN":
        if any(item_op.name not in ("LITERAL", "RANGE", "CATEGORY") for item_op, _ in av):
            raise _GiveUp("negated class")
        return list(av), False
    if name in ZERO_WIDTH:
        return [], True
    if name == "SUBPATTERN":
        if av[1] & IGNORECASE_FLAG:
            raise _GiveUp(name)
        return _first(av[3])
    if name == "ATOMIC_GROUP":
        return _first(av)
    if name == "BRANCH":
        items: list[tuple[Any, Any]] = []
        empty = False
        for alternative in av[1]:
            more, can_be_empty = _first(alternative)
            items += more
            empty = empty or can_be_empty
        return items, empty
    if name in REPEATS:
        low, high, body = av
        if high == 0:
            return [], True
        items, empty = _first(body)
        return items, empty or low == 0
    raise _GiveUp(name)


def _first(pattern: Any) -> tuple[list[tuple[Any, Any]], bool]:
    """The class items a match of the sequence can start with, and whether it can be empty."""
    return _first_of(list(pattern.data))


def _first_of(data: list[tuple[Any, Any]]) -> tuple[list[tuple[Any, Any]], bool]:
    """``_first`` of a list of nodes."""
    items: list[tuple[Any, Any]] = []
    for op, av in data:
        more, can_be_empty = _first_node(op, av)
        items += more
        if not can_be_empty:
            return items, False
    return items, True


def _second_of(data: list[tuple[Any, Any]], after: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """The class items the second letter of a match of ``data`` then ``after`` can be; gives
    up where a match may end after one letter or starts inside a repeated group."""
    for index, (op, av) in enumerate(data):
        name = op.name
        rest = [*data[index + 1 :], *after]
        if name in ZERO_WIDTH:
            continue
        if name in ("LITERAL", "IN"):
            return _following(rest)
        if name == "SUBPATTERN" and not av[1] & IGNORECASE_FLAG:
            return _second_of(list(av[3].data), rest)
        if name == "BRANCH":
            return [item for alt in av[1] for item in _second_of(list(alt.data), rest)]
        if name in REPEATS:
            low, high, body = av
            turn = list(body.data)
            if high == 1:  # an optional group: through it, or past it
                skipped = _second_of(rest, []) if low == 0 else []
                return _second_of(turn, rest) + skipped
            if len(turn) != 1 or turn[0][0].name not in ("LITERAL", "IN"):
                raise _GiveUp("a repeated group first")
            items = _first_of(turn)[0] if high > 1 else []  # a second turn
            if low <= 1 <= high:
                items += _following(rest)  # one turn, then what follows
            if low == 0:
                items += _second_of(rest, [])  # no turn at all
            return items
        raise _GiveUp(name)
    if after:  # nothing here takes a letter: the match starts in what follows
        return _second_of(after, [])
    raise _GiveUp("no letter")


def _following(rest: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """The class items the letter after the first can be: the first of what follows."""
    items, can_be_empty = _first_of(rest)
    if can_be_empty:
        raise _GiveUp("a match may end after one letter")
    return items


def _class(items: list[tuple[Any, Any]]) -> str:
    """A character class for the items, every character written as a code point."""
    parts: set[str] = set()
    for op, av in items:
        if op.name == "LITERAL":
            parts.add(f"\\U{av:08x}")
        elif op.name == "RANGE":
            parts.add(f"\\U{av[0]:08x}-\\U{av[1]:08x}")
        elif str(av) in CLASS_ESCAPES:
            parts.add(CLASS_ESCAPES[str(av)])
        else:
            raise _GiveUp(str(av))
    return "[" + "".join(sorted(parts)) + "]"


def _starts_at_start(alternative: Any) -> bool:
    """Whether an alternative begins with ``^`` (it can match at the text's start only)."""
    return (
        bool(alternative.data)
        and alternative.data[0][0].name == "AT"
        and (alternative.data[0][1].name in AT_START)
    )


def _past_the_start(data: list[tuple[Any, Any]]) -> tuple[list[tuple[Any, Any]], bool]:
    """The nodes of a match anywhere but at the text's start: the leading alternatives that
    begin with ``^`` (``(?:^|\\s)``) left out, and whether any was."""
    for index, (op, av) in enumerate(data):
        if op.name in ZERO_WIDTH:
            continue
        if op.name != "BRANCH" or not any(_starts_at_start(a) for a in av[1]):
            return data, False
        kept = [a for a in av[1] if not _starts_at_start(a)]
        if not kept:
            raise _GiveUp("every alternative starts with ^")
        return [*data[:index], (op, (av[0], kept)), *data[index + 1 :]], True
    return data, False


def _guarded(pattern: str, parsed: Any) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    """The pattern behind a class of its first characters, which the regex engine scans for
    in one tight loop (then its second letter is checked); the pattern itself is tried (as
    a lookahead) only where they are. A match that can start with ``^`` is also tried at the
    start (the second pattern returned), so that alternative does not widen the class."""
    plain = re.compile(pattern)
    if parsed.data and parsed.data[0][0].name == "AT" and parsed.data[0][1].name in AT_START:
        return plain, None  # tried at the start only: the engine knows that already
    data, at_start = _past_the_start(list(parsed.data))
    items, can_be_empty = _first_of(data)
    if can_be_empty or not items:
        return plain, None
    try:
        second = f"(?={_class(_second_of(data, []))})"
    except _GiveUp:
        second = ""
    guard = re.compile(f"{_class(items)}{second}(?<=(?=(?:{pattern}))(?s:.))")
    return guard, plain if at_start else None


# -------------------------------------------------------------------------------- matching


@dataclass(frozen=True, eq=False)
class FastPattern:
    """One pattern: the strings one of which every match contains, and its (guarded) regex."""

    regex: re.Pattern[str]
    needs: tuple[str, ...] | None = None
    """None when the analysis found no string every match contains: the regex always runs."""
    source: str = ""
    start: re.Pattern[str] | None = None
    """The plain pattern, tried at the text's start only, when ``regex`` leaves it out."""

    def search(self, text: str) -> bool:
        """Whether the pattern matches ``text`` (its needed strings are not looked at)."""
        if self.regex.search(text) is not None:
            return True
        return self.start is not None and self.start.match(text) is not None

    @classmethod
    def of(cls, regex: re.Pattern[str]) -> FastPattern:
        """A compiled pattern made fast (as it is if it has flags)."""
        if regex.flags != re.UNICODE:
            return cls(regex, None, regex.pattern)
        return _fast(regex.pattern)


@functools.lru_cache(maxsize=8)
def letter_pairs(text: str) -> frozenset[str]:
    """Every two neighbouring letters of ``text`` (the views of one message often are one
    string, so the answer is remembered)."""
    return frozenset(map(operator.add, text, text[1:]))


def _pairs_of(literal: str) -> frozenset[str]:
    """The neighbouring letters a string has: a text lacking one of them lacks the string."""
    return frozenset(literal[i : i + 2] for i in range(len(literal) - 1))


class Anchors:
    """The needed strings of many patterns run on one view, indexed by their first letter
    (and first two), so a message costs a look-up per string that could be in it, not one
    per pattern."""

    def __init__(self, parts: Iterable[FastPattern]) -> None:
        """Index the strings each pattern needs."""
        needing: dict[str, list[FastPattern]] = {}
        for part in parts:
            for literal in part.needs or ():
                needing.setdefault(literal, []).append(part)
        self.members = frozenset(p for group in needing.values() for p in group)
        singles: dict[str, tuple[FastPattern, ...]] = {}
        by_first: dict[str, list[tuple[str, tuple[FastPattern, ...]]]] = {}
        by_pair: dict[str, list[tuple[str, frozenset[str], tuple[FastPattern, ...]]]] = {}
        for literal, group in needing.items():
            if len(literal) == 1:
                singles[literal] = tuple(group)
                continue
            by_first.setdefault(literal[0], []).append((literal, tuple(group)))
            entry = (literal, _pairs_of(literal), tuple(group))
            by_pair.setdefault(literal[:2], []).append(entry)
        self._singles = singles
        self._by_first = {first: tuple(group) for first, group in by_first.items()}
        self._by_pair = {pair: tuple(group) for pair, group in by_pair.items()}
        self._firsts = frozenset(singles) | frozenset(by_first)
        self._first_pairs = frozenset(by_pair)

    def possible(self, text: str) -> frozenset[FastPattern]:
        """The indexed patterns one of whose needed strings occurs in ``text``.

        A string is looked for only if the text has its first letter; when there are many
        such strings, only if the text has each two neighbouring letters of it too.
        """
        found: set[FastPattern] = set()
        firsts = self._firsts.intersection(text)
        for first in firsts:
            found.update(self._singles.get(first, ()))
        groups = [self._by_first[first] for first in firsts if first in self._by_first]
        if sum(map(len, groups)) <= PAIRS_AFTER:
            for group in groups:
                for literal, needed in group:
                    if literal in text:
                        found.update(needed)
            return frozenset(found)
        pairs = letter_pairs(text)
        for pair in self._first_pairs.intersection(pairs):
            for literal, inner, needed in self._by_pair[pair]:
                if inner <= pairs and (len(literal) == 2 or literal in text):
                    found.update(needed)
        return frozenset(found)


class Present:
    """One view of a message with the patterns that may match it, found at the first need."""

    def __init__(self, text: str, anchors: Anchors) -> None:
        """Keep the text; nothing is searched yet."""
        self.text = text
        self._anchors = anchors
        self._possible: frozenset[FastPattern] | None = None

    def may_match(self, part: FastPattern) -> bool:
        """Whether ``part`` may match here: it needs no string, the index of this view does
        not know it, or a string it needs is here."""
        if part.needs is None or part not in self._anchors.members:
            return True
        if self._possible is None:
            self._possible = self._anchors.possible(self.text)
        return part in self._possible

    def candidates(self, parts: frozenset[FastPattern]) -> frozenset[FastPattern]:
        """Those of ``parts`` (each needing a string) that may match here: all of them if
        the index of this view does not know them."""
        if not parts <= self._anchors.members:
            return parts
        if self._possible is None:
            self._possible = self._anchors.possible(self.text)
        return parts & self._possible


@functools.lru_cache(maxsize=PATTERNS_KEPT)
def _fast(pattern: str) -> FastPattern:
    """Analyse one pattern; what the analysis does not read runs as it is (no anchor, or no
    guard). Remembered: a staff edit re-analyses only the patterns it changed."""
    try:
        parsed = SRE.parse(pattern)
    except (re.error, RecursionError):
        return FastPattern(re.compile(pattern), None, pattern)
    try:
        _, needs = _sequence(parsed)
    except (_GiveUp, RecursionError):
        needs = None
    start = None
    try:
        regex, start = _guarded(pattern, parsed)
    except (_GiveUp, re.error, RecursionError):
        regex = re.compile(pattern)
    return FastPattern(regex, tuple(sorted(needs)) if needs is not None else None, pattern, start)


def _refers(pattern: Any) -> bool:
    """Whether a parsed pattern refers to a group by number or name (\\1, (?P=x), (?(1)..))."""
    for op, av in pattern.data:
        name = op.name
        if name.startswith("GROUPREF"):
            return True
        inner = (
            [av[3]] if name == "SUBPATTERN"
            else list(av[1]) if name == "BRANCH"
            else [av[2]] if name in REPEATS
            else [av[1]] if name in ("ASSERT", "ASSERT_NOT")
            else [av] if name == "ATOMIC_GROUP"
            else []
        )  # fmt: skip
        if any(_refers(sub) for sub in inner):
            return True
    return False


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of ``pattern`` (``a|b(c|d)`` -> ``a``, ``b(c|d)``): any of
    them matching is a match of the whole. A pattern that refers to groups by number, has a
    comment, or does not parse stays whole."""
    if "(?#" in pattern:
        return [pattern]
    try:
        if _refers(SRE.parse(pattern)):
            return [pattern]
    except (re.error, RecursionError):
        return [pattern]
    pieces: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i += 1
            if i < len(pattern) and pattern[i] == "^":
                i += 1
            if i < len(pattern) and pattern[i] == "]":
                i += 1  # a ] first in a class is a letter of it
            while i < len(pattern) and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            pieces.append(pattern[start:i])
            start = i + 1
        i += 1
    pieces.append(pattern[start:])
    try:
        for piece in pieces:
            re.compile(piece)
    except re.error:
        return [pattern]
    return pieces


@dataclass(frozen=True)
class Alternation:
    """Patterns of which any may match, as one compiled regex and each made fast."""

    joined: re.Pattern[str]
    """The alternation as the regex engine reads it, with every pattern in a group."""
    parts: tuple[FastPattern, ...]

    @classmethod
    def of(cls, patterns: list[str]) -> Alternation:
        """Join the patterns; with flags that apply to the whole alternation (``(?i)`` in
        one of them), the joined regex is the only part, run as it is. Remembered, so a
        reload after a staff edit builds only the entries it changed."""
        return _alternation(tuple(patterns))

    @functools.cached_property
    def _always(self) -> tuple[FastPattern, ...]:
        return tuple(part for part in self.parts if part.needs is None)

    @functools.cached_property
    def _anchored(self) -> frozenset[FastPattern]:
        return frozenset(part for part in self.parts if part.needs is not None)

    def search(self, present: Present) -> bool:
        """Whether any pattern matches: exactly when ``joined`` finds a match."""
        text = present.text
        if any(part.search(text) for part in self._always):
            return True
        return any(part.search(text) for part in present.candidates(self._anchored))


@functools.lru_cache(maxsize=PATTERNS_KEPT)
def _alternation(patterns: tuple[str, ...]) -> Alternation:
    """Build an ``Alternation`` (see ``Alternation.of``)."""
    joined = re.compile("|".join(f"(?:{p})" for p in patterns))
    if joined.flags != re.UNICODE:
        return Alternation(joined, (FastPattern(joined, None, joined.pattern),))
    return Alternation(joined, tuple(_fast(a) for p in patterns for a in alternatives(p)))
