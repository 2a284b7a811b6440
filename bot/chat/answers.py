"""The answers every part of the chat gives the same way: escalate, decide on the engine's
reading, set the language, and the contacts and SOS replies.

The conversation, the commands and the job questions all reach these through one ``Answers``
object passed in, so none of them needs the conversation itself.
"""

from __future__ import annotations

from typing import Protocol

from bot.chat.contentsafe import reads_content
from bot.chat.dialogue import FORM_DISTRESS_THRESHOLD, Dialogue
from bot.common.incoming import Incoming
from bot.common.langid import LanguageId
from bot.common.language import LANGUAGES
from bot.core import triage
from bot.core.facts import FactsStore
from bot.core.replies import Reply, ReplyButton
from bot.core.texts import t
from bot.core.words import words
from bot.desk.intake import CaseIntake
from bot.engine.client import EngineResult
from bot.store import Case, Party

__all__ = [
    "COUNTRY_BUTTONS",
    "AnswerRecords",
    "Answers",
    "contacts_reply",
    "language_choice",
    "language_target",
    "sos_button",
]

COUNTRY_BUTTONS = ("KH", "TH", "VN", "LA", "MM", "PH", "KR")


def sos_button(lang: str) -> ReplyButton:
    """The inline "I'm not safe" button under answers a person in danger may read."""
    return ReplyButton(t("sos_button", lang), "sos")


def contacts_reply(facts: FactsStore, country: str | None, lang: str) -> Reply:
    """Emergency contacts for a country (or a choice of countries), deleted on request."""
    current = facts.current()
    text = current.render_contacts(country, lang)
    buttons: tuple[ReplyButton, ...] = ()
    if country is None:
        buttons = tuple(
            ReplyButton(current.country_name(code, lang), f"c:{code}") for code in COUNTRY_BUTTONS
        )
    delete = ReplyButton(t("discreet.delete_button", lang), "del:60")
    return Reply(text, buttons=(*buttons, delete), sensitive=True)


def language_target(text: str) -> str | None:
    """The language a request such as "in English please" / "한국어로" asks for, if any."""
    return words().language_asked(text)


def language_choice(lang: str) -> Reply:
    """Offer the languages Haven answers in, each named in itself."""
    choices = tuple(ReplyButton(t("language_name", code), f"lang:{code}") for code in LANGUAGES)
    return Reply(t("choose_language", lang), buttons=choices)


class AnswerRecords(Protocol):
    """What the shared answers read and write: the person's open case and fixed language."""

    async def active_case(self, user_id: int) -> Case | None: ...
    async def remember_user(
        self, user_id: int, chat_id: int, language: str, fixed: bool | None = None
    ) -> None: ...


class Answers:
    """Escalation, the engine's answer, and the language: the same from every entry point."""

    def __init__(
        self,
        *,
        store: AnswerRecords,
        facts: FactsStore,
        net: triage.Screen,
        dialogue: Dialogue,
        intake: CaseIntake,
        langid: LanguageId,
    ) -> None:
        """Answer through the store, the facts, the safety net, the dialogue and the intake."""
        self._store = store
        self._facts = facts
        self._net = net
        self._dialogue = dialogue
        self._intake = intake
        self._langid = langid

    async def set_language(self, msg: Incoming, target: str, current: str) -> list[Reply]:
        """Fix the user's language (auto-detection stops until they change it again)."""
        if target not in LANGUAGES:
            return [Reply(t("choose_language", current))]
        await self._store.remember_user(msg.user_id, msg.chat_id, target, fixed=True)
        return [Reply(t("language_set", target))]

    async def escalate(
        self, msg: Incoming, lang: str, verdict: triage.Triage, text: str
    ) -> list[Reply]:
        """Open or join the case, naming the language the person wrote in for staff.

        Korean typed in Latin letters is answered in Korean; any other language keeps the
        reply language (English unless Korean) and adds the vetted sentence, if there is one.
        Someone writing in secret gets a discreet case and the quiet answer; a family reporting
        a relative held is the case's contact and gets the numbers for families.
        A guided check in progress is stopped: it must not take the next message as an answer.
        """
        hit = self._net.check(text) if text else None
        written = (
            reads_content(self._langid.identify, text, hit.lang if hit else None) if text else None
        )
        if written is not None and written.code.startswith("ko"):
            lang = "ko"
        if self._dialogue.in_check(msg.user_id):
            await self._dialogue.stop_check(msg.user_id, lang)
        priority = verdict.priority or triage.HIGH
        return await self._intake.escalate(
            msg, lang, verdict.detail, priority, text, written_in=written, writer=verdict.writer
        )

    async def decide(
        self, msg: Incoming, text: str, lang: str, result: EngineResult | None
    ) -> list[Reply]:
        """Escalate, fall back, or render the engine's answer to ``text``."""
        verdict = self._verdict(msg, text, result)
        self._dialogue.track(msg.user_id, result)
        if verdict.escalate:
            return await self.escalate(msg, lang, verdict, text)
        if result is None:
            numbers = reads_content(self._facts.current().render_emergency, None, lang)
            down = f"{t('engine_down', lang)}\n\n{numbers}" if numbers else t("engine_down", lang)
            return [Reply(down, buttons=(sos_button(lang),))]
        if result.intent == "change_language":
            target = language_target(text)
            if target is not None:
                return await self.set_language(msg, target, lang)
            return [language_choice(lang)]
        return self._dialogue.render(result)

    def reads_records(self, msg: Incoming, text: str, result: EngineResult | None) -> bool:
        """Whether ``decide`` escalates or changes the language: both read or write what the
        message's own record holds, so it must be written first. An answer only renders."""
        if result is not None and result.intent == "change_language":
            return True
        return self._verdict(msg, text, result).escalate

    def _verdict(self, msg: Incoming, text: str, result: EngineResult | None) -> triage.Triage:
        in_form = self._dialogue.in_check(msg.user_id)
        return self._dialogue.verdict(text, result, FORM_DISTRESS_THRESHOLD if in_form else None)

    async def payload(self, msg: Incoming, payload: str, lang: str) -> list[Reply]:
        """A button's engine payload: joins an open case, otherwise the engine answers it."""
        case = await self._store.active_case(msg.user_id)
        if case is not None:
            return await self._intake.relay_text(msg, lang, case, f"[button] {payload}")
        result = await self._dialogue.ask(msg.user_id, payload, lang)
        return await self.decide(msg, payload, lang, result)

    async def consent(self, msg: Incoming, lang: str, answer: str) -> list[Reply]:
        """The person's Yes or No to sharing with a party: kept on their case, staff told."""
        party, _, choice = answer.partition(":")
        case = await self._store.active_case(msg.user_id)
        if case is None or party not in set(Party) or choice not in ("y", "n"):
            return [Reply(t("button_expired", lang), toast=True)]
        await self._intake.consents.answered(case, Party(party), choice == "y")
        return [Reply(t("discreet.consent_thanks", lang))]
