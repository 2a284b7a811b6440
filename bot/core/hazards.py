"""Regex shapes whose cost grows faster than the text, named so the lexicon's tests refuse them.

An unbounded repeat inside another, two repeats side by side that can take the same letters,
or a pattern that can start a match at every position of a run: one such safety-net pattern
took seconds on a 500-letter message (bot/core/fastregex.py makes the others fast).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.core.regexparse import AT_START, CLASS_ESCAPES, REPEATS, SRE, UNBOUNDED, ZERO_WIDTH

__all__ = ["hazards"]

_SAMPLE = frozenset(
    [chr(c) for c in range(32, 127)]
    + list("\t\n\u00a0\u3000\u00e9\u0301\u0e01\u4e0d\u3131\uac00\ud7a3")
    + ["\U0001f600"]
)
"""Characters that stand for every kind a class can hold, with the pattern's own letters."""
_CATEGORY_TESTS = {name: re.compile(escape) for name, escape in CLASS_ESCAPES.items()}


def _item_chars(op: Any, av: Any, sample: frozenset[str]) -> frozenset[str]:
    """The characters of ``sample`` one consuming node can take."""
    name = op.name
    if name == "LITERAL":
        return frozenset({chr(av)})
    if name == "NOT_LITERAL":
        return sample - {chr(av)}
    if name == "ANY":
        return sample - {"\n"}
    if name != "IN":
        return frozenset()
    negate = False
    chars: set[str] = set()
    for item_op, item_av in av:
        kind = item_op.name
        if kind == "NEGATE":
            negate = True
        elif kind == "LITERAL":
            chars.add(chr(item_av))
        elif kind == "RANGE":
            chars |= {c for c in sample if item_av[0] <= ord(c) <= item_av[1]}
        elif kind == "CATEGORY" and item_av.name in _CATEGORY_TESTS:
            chars |= {c for c in sample if _CATEGORY_TESTS[item_av.name].fullmatch(c)}
        else:
            chars |= sample  # a class the sample cannot read: assume it takes anything
    return frozenset(sample - chars) if negate else frozenset(chars)


@dataclass(frozen=True)
class _Token:
    """What a node can take: its first and last letters, its length, and the letters it can
    take without bound at its start (``head``) and at its end (``tail``)."""

    first: frozenset[str]
    last: frozenset[str]
    low: int
    high: int
    head: frozenset[str] = frozenset()
    tail: frozenset[str] = frozenset()
    edge: bool = False
    """A word edge (``\\b``): no run of word letters goes on across it."""


class _Hazards:
    """Walks a parsed pattern and names the shapes whose cost grows faster than the text."""

    def __init__(self, sample: frozenset[str]) -> None:
        self.sample = sample
        self.found: list[str] = []
        self.word = frozenset(c for c in sample if _CATEGORY_TESTS["CATEGORY_WORD"].fullmatch(c))

    def token(self, op: Any, av: Any) -> _Token:
        """The token of one node (and note the hazards inside it)."""
        name = op.name
        if name in ("LITERAL", "NOT_LITERAL", "ANY", "IN"):
            chars = _item_chars(op, av, self.sample)
            return _Token(chars, chars, 1, 1)
        if name in ZERO_WIDTH:
            if name != "AT":
                self.sequence(av[1])
            edge = name == "AT" and av.name == "AT_BOUNDARY"
            return _Token(frozenset(), frozenset(), 0, 0, edge=edge)
        if name == "SUBPATTERN":
            return self.sequence(av[3])
        if name == "ATOMIC_GROUP":
            return self.sequence(av)
        if name == "BRANCH":
            tokens = [self.sequence(alternative) for alternative in av[1]]
            return _Token(
                frozenset().union(*(t.first for t in tokens)),
                frozenset().union(*(t.last for t in tokens)),
                min(t.low for t in tokens),
                max(t.high for t in tokens),
                frozenset().union(*(t.head for t in tokens)),
                frozenset().union(*(t.tail for t in tokens)),
            )
        if name in REPEATS:
            low, high, body = av
            inner = self.sequence(body)
            if high > 1 and self.shared(inner.tail, inner.head | inner.first):
                self.found.append("a repeated group whose turns can share letters")
            if high >= UNBOUNDED:
                spread = inner.first | inner.last | inner.head | inner.tail
                return _Token(inner.first, inner.last, inner.low * low, UNBOUNDED, spread, spread)
            return _Token(
                inner.first, inner.last, inner.low * low, inner.high * high, inner.head, inner.tail
            )
        everything = frozenset(self.sample)
        return _Token(everything, everything, 0, UNBOUNDED, everything, everything)

    def sequence(self, pattern: Any) -> _Token:
        """The token of a sequence; a node that takes letters without bound next to another
        that can start taking the same ones without bound (only optional nodes between them)
        is a hazard: a long run can be shared between them in every way."""
        tokens = [self.token(op, av) for op, av in pattern.data]
        for i, left in enumerate(tokens):
            if not left.tail:
                continue
            for right in tokens[i + 1 :]:
                if right.edge and left.tail <= self.word:
                    break
                if self.shared(left.tail, right.head):
                    self.found.append("two unbounded repeats side by side that share letters")
                    break
                if right.low > 0:
                    break
        first, head = self._leading(tokens)
        last, tail = self._leading(tokens[::-1], end=True)
        low = sum(t.low for t in tokens)
        high = min(UNBOUNDED, sum(t.high for t in tokens))
        return _Token(first, last, low, high, head, tail)

    @staticmethod
    def _leading(tokens: list[_Token], end: bool = False) -> tuple[frozenset[str], frozenset[str]]:
        """The first (or last) letters of a sequence and its head (or tail) spread."""
        chars: set[str] = set()
        spread: set[str] = set()
        for t in tokens:
            chars |= t.last if end else t.first
            spread |= t.tail if end else t.head
            if t.low > 0:
                break
        return frozenset(chars), frozenset(spread)

    def starts(
        self, pattern: Any, before: list[tuple[Any, Any]], prefix: frozenset[str] = frozenset()
    ) -> None:
        """A match that can start at every letter of a long run: an unbounded repeat reached
        from the start through letters it takes itself (``여권\\S*`` on 여권여권여권...)."""
        for index, (op, av) in enumerate(pattern.data):
            name = op.name
            if name in REPEATS and av[1] >= UNBOUNDED:
                body = av[2]
                run = self.sequence(body).first
                tempered = bool(body.data) and body.data[0][0].name == "ASSERT_NOT"
                guarded = any(self.anchors(o, a) for o, a in before)
                if not (guarded or tempered or self.excluded(before, run)) and prefix <= run:
                    self.found.append("a match can start at every letter of a long run")
                return
            if name in ("BRANCH", "SUBPATTERN"):
                rest = SRE.SubPattern(pattern.state, pattern.data[index + 1 :])
                alternatives = av[1] if name == "BRANCH" else [av[3]]
                for alternative in alternatives:
                    joined = SRE.SubPattern(pattern.state, [*alternative.data, *rest.data])
                    self.starts(joined, before, prefix)
                return
            if name in ZERO_WIDTH:
                before = [*before, (op, av)]
                continue
            token = self.token(op, av)
            if token.low != token.high:
                return
            prefix = prefix | token.first | token.last

    def shared(self, left: frozenset[str], right: frozenset[str]) -> bool:
        """Whether two repeats can take the same letters: spaces do not count, as every view
        has at most one in a row (normalisation) and the compact view none."""
        return any(not ch.isspace() for ch in left & right)

    def anchors(self, op: Any, av: Any) -> bool:
        """Whether a zero-width node lets a match start only at the text's start."""
        return op.name == "AT" and av.name in AT_START

    def excluded(self, before: list[tuple[Any, Any]], run: frozenset[str]) -> bool:
        """Whether a look-behind (``(?<!\\d)``) or a word edge just before refuses to start
        inside a run of these letters."""
        if not before:
            return False
        op, av = before[-1]
        if op.name == "AT" and av.name == "AT_BOUNDARY":
            return run <= self.word
        if op.name == "ASSERT_NOT" and av[0] == -1:
            return run <= self.sequence(av[1]).first
        return False


def hazards(pattern: str) -> list[str]:
    """The shapes in ``pattern`` whose cost can grow faster than the text, named (none for a
    pattern that cannot be read)."""
    try:
        parsed = SRE.parse(pattern)
    except (re.error, RecursionError):
        return []
    sample = _SAMPLE | frozenset(pattern)
    walker = _Hazards(sample)
    walker.sequence(parsed)
    walker.starts(parsed, [])
    return sorted(set(walker.found))
