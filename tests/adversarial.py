"""Long messages built to be slow to screen: runs, repeats, near-misses of the rule words.

Telegram lets a message be 4,096 characters long; each text here is exactly that, so the
safety net's cost on them is its cost on the worst a person (or a flood) can send. Shared by
the unit tests that count the net's work and the `net` phase of the benchmark.
"""

from __future__ import annotations

import random

__all__ = ["LONGEST", "adversarial"]

LONGEST = 4096
"""Telegram's limit on a message's length."""

_KOREAN = (
    "저는 캄보디아에 있는 회사에 취업해서 왔는데 생각보다 일이 많고 힘들어요 그래도 월급은 잘 "
    "나오고 동료들도 친절해요 주말에는 시장에 가서 과일을 사고 저녁에는 한국 드라마를 봐요 "
)
_ENGLISH = (
    "I moved to Phnom Penh for a job in customer service last spring and the work is long but "
    "fine; my manager is strict, the dorm is small, and on Sundays we go to the river market. "
)
_NEAR = (
    "help passport locked trapped 여권 갇혀 살려 도와 감금 납치 police 경찰 money 돈 보내 "
    "my son 아들 연락 guards 몰래 delete this 풀어 석방 몸값 "
)


def _filled(unit: str, tail: str = "") -> str:
    """``unit`` repeated to the longest message, ending with ``tail``."""
    body = (unit * (LONGEST // len(unit) + 1))[: LONGEST - len(tail)]
    return body + tail


def _random(alphabet: str, seed: int) -> str:
    """A longest message of characters drawn from ``alphabet`` (the same every run)."""
    pick = random.Random(seed).choice
    return "".join(pick(alphabet) for _ in range(LONGEST))


def adversarial() -> dict[str, str]:
    """Each kind of slow message by name, every one ``LONGEST`` characters."""
    printable = "".join(chr(c) for c in range(32, 127))
    unicode_mix = printable + "가나다라살려여권ㅋㅎㅠㅜ你好ไทยéüñ😀！？、。\u200b\u3000"
    return {
        "digits": _filled("1"),
        "digits and spaces": _filled("1 "),
        "one letter": _filled("a"),
        "one syllable": _filled("하"),
        "help help": _filled("help "),
        "살려 살려": _filled("살려 "),
        "살려살려 (no spaces)": _filled("살려"),
        "jamo run": _filled("ㅋ"),
        "jamo mix": _filled("ㅋㅎㅠㅜㅅㄹㅈ"),
        "digits, punctuation, emoji": _filled("1-2.3$4!😀?"),
        "whitespace": _filled(" \n\t\u3000", "a"),
        "random printable": _random(printable, 21),
        "random mixed scripts": _random(unicode_mix, 22),
        "long Korean": _filled(_KOREAN),
        "long English": _filled(_ENGLISH),
        "near matches": _filled(_NEAR),
        "money runs": _filled("$1 12만원 일이삼만원 "),
        "여권여권... 뺏": _filled("여권", " 뺏"),
        "와같이... 납": _filled("와같이", " 납"),
        "아들아들... 연락": _filled("아들", " 연락"),
        "저 위험해 ... ?": _filled("저 위험해 ", "?"),
        "watched, no place": _filled("몰래 보내요 "),
        "watched, English": _filled("delete this after "),
    }
