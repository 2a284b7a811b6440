"""Something else asked in the middle of a flow: answered, then the flow goes on where it was.

Inside the guided check or a step-by-step flow, most messages are answers. A message is a
digression only when it is *clearly* something else: its words say what it is about (a
number to call, warning signs, a travel advisory, the size of the problem, a language, thanks)
and, where the engine is up, the engine's intent agrees. Words alone would take "Cambodia"
(an answer) for an advisory question; the intent alone would take "a friend told me" for
small talk. Thanks and a language switch are plain enough to need no second opinion.
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.core.folding import fold

__all__ = ["Digression", "candidates", "classify"]


class Digression(StrEnum):
    """The kinds of question answered inside a flow."""

    CONTACTS = "contacts"
    RED_FLAGS = "red_flags"
    ADVISORY = "advisory"
    FIGURES = "figures"
    LANGUAGE = "language"
    THANKS = "thanks"


WORDS: dict[Digression, re.Pattern[str]] = {
    Digression.CONTACTS: re.compile(
        r"번호|연락처|전화|대사관|영사관|영사\s*콜|콜센터|경찰\s*(?:번호|신고)|hotline|phone number"
        r"|\bnumbers?\b|contacts?\b|\bcall\b|embassy|consul\w*|emergency|police number|who (?:do|can) i call"
    ),
    Digression.RED_FLAGS: re.compile(
        r"위험\s*신호|경고\s*신호|레드\s*플래그|사기\s*(?:특징|수법|징후|신호)|red\s*flags?|warning\s*signs?"
        r"|signs? of (?:a )?(?:scam|fake)"
    ),
    Digression.ADVISORY: re.compile(
        r"여행\s*(?:경보|금지|자제|유의)|출국\s*권고|경보\s*단계|travel\s*(?:advisory|warning|ban)"
        r"|advisory|safe to (?:go|travel|visit)|(?:안전|위험)한\s*(?:곳|나라|지역)(?:인가|이에요|예요)"
    ),
    Digression.FIGURES: re.compile(
        r"몇\s*명|몇\s*건|통계|피해\s*규모|얼마나\s*(?:심각|많)|how many|statistic|\bstats\b"
        r"|how (?:serious|big|common|widespread)|figures|estimate"
    ),
    Digression.LANGUAGE: re.compile(
        r"(?:영어|english|한국어|korean|한글)\s*(?:로|으로)?\s*(?:해|말|답|써|바꿔|please|pls|plz)"
        r"|(?:in|switch to|speak|reply in|answer in|change (?:the )?language to)\s+(?:english|korean)"
    ),
    Digression.THANKS: re.compile(
        r"^\s*(?:thanks?(?: you)?(?: so much| a lot)?|thx|ty|고마워요?|고맙습니다|감사합니다|감사해요"
        r"|감사|땡큐)\s*[.!~♡❤️🙏]*\s*$"
    ),
}
# The engine's intent that must agree; None: the words suffice.
INTENTS: dict[Digression, frozenset[str] | None] = {
    Digression.CONTACTS: frozenset({"ask_emergency_contacts"}),
    Digression.RED_FLAGS: frozenset({"ask_red_flags"}),
    Digression.ADVISORY: frozenset({"ask_travel_advisory"}),
    Digression.FIGURES: frozenset({"ask_figures"}),
    Digression.LANGUAGE: None,
    Digression.THANKS: None,
}
MIN_CONFIDENCE = 0.5


def candidates(text: str) -> list[Digression]:
    """The digressions a message's words point to (cheap: no engine), most specific first."""
    clean = fold(text)
    return [kind for kind, pattern in WORDS.items() if pattern.search(clean)]


def classify(
    kinds: list[Digression], intent: str | None, confidence: float | None
) -> Digression | None:
    """The digression among ``kinds`` that the engine agrees with.

    Thanks and a language switch need no agreement; an engine that is down cannot agree, so
    then the words must do.
    """
    for kind in kinds:
        wanted = INTENTS[kind]
        if wanted is None or intent is None or confidence is None:
            return kind
        if intent in wanted and confidence >= MIN_CONFIDENCE:
            return kind
    return None
