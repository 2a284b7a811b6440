"""Mutations of the staff-edited content files, for the fuzz tests (tests/test_content_fuzz.py).

Each mutation changes one value of the parsed YAML (a wrong type, a missing key, a huge text)
or the whole file (empty, a bare list, a number, a huge file): what a hurried edit can do.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

# What a value can be replaced with: each a different wrong type, or an absurd size.
REPLACEMENTS: tuple[Any, ...] = (
    [["nested"]],
    {"a": {"b": 1}},
    7,
    -1.5,
    None,
    True,
    "",
    "x" * 100_000,
)
WHOLE_FILES: tuple[str, ...] = ("", "[]", "42\n", "- [1, 2]\n", "a: " + "b" * 2_000_000 + "\n")

Path_ = tuple[Any, ...]


def paths(node: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    """Every path to a value inside ``node`` (mapping keys and list indexes)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*prefix, index)
            yield from paths(value, (*prefix, index))


def _parent(data: Any, path: Path_) -> Any:
    for step in path[:-1]:
        data = data[step]
    return data


def replaced(data: Any, path: Path_, value: Any) -> Any:
    """A copy of ``data`` with the value at ``path`` replaced."""
    out = copy.deepcopy(data)
    _parent(out, path)[path[-1]] = value
    return out


def removed(data: Any, path: Path_) -> Any:
    """A copy of ``data`` without the value at ``path``."""
    out = copy.deepcopy(data)
    del _parent(out, path)[path[-1]]
    return out


def mutations(path: Path, sample: int, seed: int = 21) -> Iterator[tuple[str, str]]:
    """``(label, text)`` for the whole-file mutations and ``sample`` one-value mutations."""
    for text in WHOLE_FILES:
        yield f"whole file {text[:12]!r}", text
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    everywhere = list(paths(data))
    rng = random.Random(f"{seed}:{path.name}")
    for _ in range(sample):
        where = rng.choice(everywhere)
        if rng.random() < 0.2:
            yield f"{where} removed", yaml.safe_dump(removed(data, where), allow_unicode=True)
        else:
            value = rng.choice(REPLACEMENTS)
            label = f"{where} = {str(value)[:20]!r}"
            yield label, yaml.safe_dump(replaced(data, where, value), allow_unicode=True)
