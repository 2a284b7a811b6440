"""Short step-by-step flows run by the bot itself: the rescue request, check-ins, a safe time.

Each flow is declared here as data: its steps, its introduction and its own finish handler, so
adding a flow touches this file only (``FlowRunner`` runs them all the same way). Every
optional step can be skipped with one tap and the flow stopped at any time. Progress lives in
the store, so a restart resumes where the user was.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any, Protocol

from bot.chat import phrasehash
from bot.common.incoming import Incoming
from bot.core import triage
from bot.core.facts import FactsStore
from bot.core.replies import Reply
from bot.core.texts import t
from bot.core.words import WordList, words
from bot.delivery.janitor import READ_THEN_DELETE_SECONDS
from bot.desk.intake import CaseIntake
from bot.store import Case, CheckIn, iso, now

__all__ = [
    "CALL_LATER",
    "CHECKIN",
    "FLOWS",
    "LATIN_NAME",
    "RESCUE",
    "SKIP",
    "SKIP_WORDS",
    "STOP",
    "STOP_WORDS",
    "Choice",
    "Flow",
    "FlowName",
    "FlowRecords",
    "FlowServices",
    "Step",
    "describe_answer",
    "describe_interval",
    "parse_duration",
    "prompt",
]

SKIP = "__skip"
STOP = "__stop"
SKIP_WORDS = words().any_of(WordList.SKIP)
STOP_WORDS = words().any_of(WordList.STOP)
LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z .,'-]{1,79}$")
DURATION = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|seconds?|초|m|min|minutes?|분|h|hours?|hrs?|시간|d|days?|일)?\s*$",
    re.IGNORECASE,
)
UNIT_MINUTES = {
    "s": 1 / 60,
    "초": 1 / 60,
    "m": 1,
    "분": 1,
    "h": 60,
    "시": 60,
    "d": 1440,
    "일": 1440,
}


@dataclass(frozen=True)
class Choice:
    """A button of a step: the stored value, and its title's text key (``flow.choice_<key>``)."""

    value: str
    key: str

    def title(self, lang: str) -> str:
        """The button's title in ``lang``."""
        return t(f"flow.choice_{self.key}", lang)


@dataclass(frozen=True)
class Step:
    """One question of a flow; its words are the text ``flow.ask_<key>`` of each pack."""

    key: str
    kind: str  # text, choice, location, photo, video, name, number, duration
    choices: tuple[Choice, ...] = ()
    optional: bool = True


COUNTRIES = (
    Choice("KH", "kh"),
    Choice("MM", "mm"),
    Choice("LA", "la"),
    Choice("TH", "th"),
    Choice("PH", "ph"),
    Choice("VN", "vn"),
)

RESCUE = (
    Step("country", "choice", COUNTRIES),
    Step("location", "location"),
    Step("building_photo", "photo"),
    Step("passport_photo", "photo"),
    Step("face_photo", "photo"),
    Step("video", "video"),
    Step("name", "name"),
    Step(
        "nationality",
        "choice",
        (Choice("KR", "nationality_kr"), Choice("other", "nationality_other")),
    ),
    Step(
        "building",
        "choice",
        (
            Choice("high_rise", "high_rise"),
            Choice("hotel_casino", "hotel_casino"),
            Choice("compound", "compound"),
            Choice("house", "house"),
        ),
    ),
    Step("floor", "number"),
    Step(
        "people",
        "choice",
        (Choice("1-5", "people_few"), Choice("6-20", "people_some"), Choice("20+", "people_many")),
    ),
    Step("injured", "choice", (Choice("yes", "yes"), Choice("no", "no"))),
)

CHECKIN = (
    Step("destination", "text", optional=False),
    Step("departure", "text", optional=False),
    Step(
        "interval",
        "duration",
        (Choice("12h", "every_12h"), Choice("24h", "every_24h"), Choice("48h", "every_48h")),
        optional=False,
    ),
    Step("duress", "text"),
)

CALL_LATER = (Step("safe_time", "text", optional=False),)

BUILDINGS = {
    "high_rise": "a high-rise building",
    "hotel_casino": "a hotel or casino building",
    "compound": "a walled compound with guards",
    "house": "a house or villa",
}
NATIONALITIES = {"KR": "the Republic of Korea (South Korea)"}
COUNTRY_NAMES = {c.value: c.title("en") for c in COUNTRIES}


def prompt(step: Step, lang: str) -> str:
    """The question of a step."""
    return t(f"flow.ask_{step.key}", lang)


def parse_duration(text: str) -> timedelta | None:
    """Read "24", "12h", "30분", "1 day" as an interval (bare numbers are hours)."""
    match = DURATION.match(text.replace(",", "."))
    if match is None:
        return None
    amount = float(match.group(1))
    unit = (match.group(2) or "h").lower()
    minutes = amount * UNIT_MINUTES.get(unit[0] if unit[0].isascii() else unit[:1], 60)
    if minutes <= 0:
        return None
    return timedelta(minutes=minutes)


def describe_interval(interval: timedelta, lang: str) -> str:
    """An interval as people say it."""
    minutes = interval.total_seconds() / 60
    if minutes >= 60 and minutes % 60 == 0:
        return t("flow.interval_hours", lang, n=int(minutes // 60))
    if minutes >= 1:
        return t("flow.interval_minutes", lang, n=minutes)
    return t("flow.interval_seconds", lang, n=minutes * 60)


def describe_answer(step: Step, value: object) -> str:
    """An answer as staff read it: a choice by its English title, text as written."""
    titles = {choice.value: choice.title("en") for choice in step.choices}
    return titles.get(str(value), str(value))


def rescue_message(answers: dict[str, object], when: str) -> str:
    """The rescue request in English, filled only from the user's own answers."""
    lines = ["URGENT - REQUEST FOR RESCUE"]
    name = answers.get("name")
    nationality = answers.get("nationality")
    who = f"My name is {name}." if isinstance(name, str) else "I am writing for myself."
    if nationality == "KR":
        who += f" I am a citizen of {NATIONALITIES['KR']}."
    lines.append(who)
    country = COUNTRY_NAMES.get(str(answers.get("country")))
    where = f" in {country}" if country else ""
    lines.append(
        f"I am being held against my will{where} and forced to work in online scams. "
        "I cannot leave."
    )
    location = answers.get("location")
    if isinstance(location, dict):
        lines.append(
            f"My GPS location: https://maps.google.com/?q={location['lat']:.6f},{location['lon']:.6f}"
            f" (sent {when})"
        )
    building = BUILDINGS.get(str(answers.get("building")))
    floor = answers.get("floor")
    if building or floor:
        place = f"The building is {building}" if building else "I am in the building"
        lines.append(f"{place}, floor {floor}." if floor else f"{place}.")
    people = answers.get("people")
    if isinstance(people, str):
        lines.append(f"About {people.replace('+', ' or more')} people are held with me.")
    if answers.get("injured") == "yes":
        lines.append("Some of us are injured and need medical help.")
    attached = [
        label
        for key, label in (
            ("building_photo", "a photo of the building"),
            ("passport_photo", "a copy of my passport"),
            ("face_photo", "a current photo of my face"),
            ("video", "a video asking for rescue"),
        )
        if isinstance(answers.get(key), dict)
    ]
    if attached:
        lines.append("I am sending " + ", ".join(attached) + ".")
    lines.append("I am the victim and I am making this report myself. Please help me.")
    return "\n".join(lines)


# ------------------------------------------------------------------------- the flows


class FlowName(StrEnum):
    """The flows Haven runs; the value is what the store keeps."""

    RESCUE = "rescue"
    CHECKIN = "checkin"
    CALL_LATER = "call_later"


class FlowRecords(Protocol):
    """What the flows read and write: a person's progress, their case and its notes, their
    check-in, and the deletion of a question once its photo is with staff."""

    async def save_flow(
        self, user_id: int, name: str, step: int, answers: dict[str, Any]
    ) -> None: ...
    async def end_flow(self, user_id: int) -> None: ...
    async def active_case(self, user_id: int) -> Case | None: ...
    async def set_case_note(self, case_id: int, column: str, value: str) -> None: ...
    async def save_checkin(self, checkin: CheckIn) -> None: ...
    async def last_bot_message(self, chat_id: int, before: int) -> int | None: ...
    async def schedule_deletion(
        self, chat_id: int, delay: float, message_id: int | None = None, author: str | None = None
    ) -> None: ...


@dataclass(frozen=True)
class FlowServices:
    """What finish handlers may use."""

    store: FlowRecords
    intake: CaseIntake
    facts: FactsStore
    checkin_grace_minutes: float


Finish = Callable[[FlowServices, Incoming, str, dict[str, Any]], Awaitable[list[Reply]]]


@dataclass(frozen=True)
class Flow:
    """A flow: its questions, what it says first, and what happens with the answers."""

    steps: tuple[Step, ...]
    finish: Finish
    intro: str | None = None
    keeps_keyboard: bool = False
    """Stopping leaves the SOS keyboard in place (a person in danger still needs it)."""
    case_reason: str | None = None
    """The flow opens (or joins) a case at its first step under this reason, and passes each
    answer to staff as it comes, so a person interrupted half-way is not lost."""


async def finish_rescue(
    services: FlowServices, msg: Incoming, lang: str, answers: dict[str, Any]
) -> list[Reply]:
    """Hand the user the rescue request in English and give staff the same package."""
    message = rescue_message(answers, f"{iso(now())[:16]} UTC")
    country = answers.get("country") if isinstance(answers.get("country"), str) else "KH"
    case = await services.store.active_case(msg.user_id)
    if case is None:
        await services.intake.open(
            msg.user_id, msg.chat_id, lang, "rescue request", triage.HIGH, message
        )
    else:
        await services.intake.relays.notice(case, f"📝 rescue request:\n{message}")
    emergency = services.facts.current().render_emergency(str(country), lang)
    # The request says what the captors must not read: it leaves the chat after a while.
    minutes = round(READ_THEN_DELETE_SECONDS / 60)
    kept = t("discreet.copy_now", lang, minutes=minutes)
    return [
        Reply(f"{t('flow.rescue_done', lang)}\n{kept}"),
        Reply(message, delete_in=READ_THEN_DELETE_SECONDS),
        Reply(f"{t('flow.send_to', lang)}\n{emergency}"),
    ]


async def finish_checkin(
    services: FlowServices, msg: Incoming, lang: str, answers: dict[str, Any]
) -> list[Reply]:
    """Register the check-in schedule the user chose."""
    minutes = float(answers.get("interval") or 24 * 60)
    duress = answers.get("duress")
    duress_hash = await phrasehash.protect(duress) if isinstance(duress, str) else None
    await services.store.save_checkin(
        CheckIn(
            user_id=msg.user_id,
            chat_id=msg.chat_id,
            language=lang,
            destination=str(answers.get("destination", "")),
            departure=str(answers.get("departure", "")),
            interval_minutes=minutes,
            grace_minutes=services.checkin_grace_minutes,
            duress_hash=duress_hash,
            next_prompt_at=iso(now() + timedelta(minutes=minutes)),
            awaiting_since=None,
        )
    )
    interval = describe_interval(timedelta(minutes=minutes), lang)
    return [Reply(t("flow.checkin_done", lang, interval=interval))]


async def finish_call_later(
    services: FlowServices, msg: Incoming, lang: str, answers: dict[str, Any]
) -> list[Reply]:
    """Tell staff when it is safe to contact the user."""
    case = await services.intake.active_or_open(msg, lang, "call-later request", "[call later]")
    note = f"safe time: {answers.get('safe_time', '?')}"
    await services.store.set_case_note(case.id, "contact_note", note)
    await services.intake.relays.notice(case, f"🕘 {note}")
    return [Reply(t("flow.safe_time_saved", lang))]


FLOWS: dict[FlowName, Flow] = {
    FlowName.RESCUE: Flow(
        RESCUE,
        finish_rescue,
        intro="flow.rescue_intro",
        keeps_keyboard=True,
        case_reason="rescue request",
    ),
    FlowName.CHECKIN: Flow(CHECKIN, finish_checkin, intro="flow.checkin_intro"),
    FlowName.CALL_LATER: Flow(CALL_LATER, finish_call_later),
}
