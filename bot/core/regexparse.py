"""The pieces of Python's regex parser that Haven's pattern analysis reads.

``re._parser`` from Python 3.11, ``sre_parse`` before (3.10, the engine's): one place that
knows the difference, for bot/core/fastregex.py (anchors, guards) and bot/core/hazards.py.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

__all__ = [
    "AT_START",
    "CLASS_ESCAPES",
    "IGNORECASE_FLAG",
    "REPEATS",
    "SRE",
    "UNBOUNDED",
    "ZERO_WIDTH",
]

try:  # the regex parser is re._parser from Python 3.11, sre_parse before (3.10, the engine)
    SRE: Any = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover - Python 3.10
    SRE = importlib.import_module("sre_parse")

UNBOUNDED = SRE.MAXREPEAT
IGNORECASE_FLAG = re.IGNORECASE.value
CLASS_ESCAPES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}
REPEATS = frozenset({"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"})
AT_START = frozenset({"AT_BEGINNING", "AT_BEGINNING_STRING"})
ZERO_WIDTH = frozenset({"AT", "ASSERT", "ASSERT_NOT"})
