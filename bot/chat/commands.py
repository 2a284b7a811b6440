"""The private chat's commands (/start, /contacts, /forget, …): one handler each, one table.

Adding a command is one method here and one row of ``COMMANDS``; the Telegram menu lists
only some of them (bot/telegram/app.py), so a watched phone shows nothing unusual.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.chat import phrasehash
from bot.chat.answers import Answers, contacts_reply, language_choice, sos_button
from bot.chat.dialogue import FORM_DISTRESS_THRESHOLD, Dialogue
from bot.chat.flowrunner import FlowRunner
from bot.chat.flows import FlowName
from bot.chat.phrasehash import valid_secret
from bot.common.incoming import Incoming
from bot.common.keyboard import sos_keyboard
from bot.core import triage
from bot.core.errors import StoreError
from bot.core.facts import FactsStore
from bot.core.replies import Reply, ReplyButton
from bot.core.texts import t
from bot.delivery.discretion import COMMAND_ANSWER_SECONDS
from bot.delivery.janitor import READ_THEN_DELETE_SECONDS, SENSITIVE_DELETE_SECONDS, Janitor
from bot.delivery.retention import Retention, RetentionPolicy
from bot.desk.intake import CaseIntake
from bot.store import Case

__all__ = ["VERIFY", "CommandRecords", "UserCommands"]

CHECKIN_OFF = ("stop", "off", "그만", "중단", "취소")
VERIFY = "/verify_job_offer"

Handler = Callable[["UserCommands", Incoming, str, str], Awaitable[list[Reply]]]


class CommandRecords(Protocol):
    """What the commands read and write: the open case, the language and secrets, check-ins,
    and erasing (/forget, /clear)."""

    async def active_case(self, user_id: int) -> Case | None: ...
    async def remember_user(
        self, user_id: int, chat_id: int, language: str, fixed: bool | None = None
    ) -> None: ...
    async def set_secret(self, user_id: int, column: str, value: str | None) -> None: ...
    async def stop_checkin(self, user_id: int) -> bool: ...
    async def forget(self, user_id: int, chat_id: int | None = None) -> int | None: ...
    async def schedule_deletion(
        self, chat_id: int, delay: float, message_id: int | None = None, author: str | None = None
    ) -> None: ...


class UserCommands:
    """Answers the commands a user types in the private chat."""

    def __init__(
        self,
        *,
        answers: Answers,
        store: CommandRecords,
        facts: FactsStore,
        dialogue: Dialogue,
        intake: CaseIntake,
        flows: FlowRunner,
        janitor: Janitor,
        retention: Retention | None,
        policy: RetentionPolicy,
    ) -> None:
        """Act through the parts a command needs; escalation and language go through ``answers``."""
        self._answers = answers
        self._store = store
        self._facts = facts
        self._dialogue = dialogue
        self._intake = intake
        self._flows = flows
        self._janitor = janitor
        self._retention = retention
        self._policy = policy

    async def run(self, msg: Incoming, command: str, args: str, lang: str) -> list[Reply]:
        """Answer ``command``; an unknown one gets the help text.

        With a case open, whoever holds the phone may be typing: the commands in ``NEUTRAL``
        answer without naming the case, the team or the safety word.
        """
        handler = COMMANDS.get(command)
        if (handler is None or command in NEUTRAL) and await self._watched(msg):
            return await NEUTRAL.get(command, UserCommands.help_neutral)(self, msg, lang, args)
        if handler is None:
            return [Reply(help_text(lang))]
        return await handler(self, msg, lang, args)

    async def _watched(self, msg: Incoming) -> bool:
        """A case is open (or the store cannot say that none is)."""
        try:
            return await self._store.active_case(msg.user_id) is not None
        except StoreError:
            return True

    async def start(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """Who Haven is, with the three things it does as buttons."""
        buttons = (
            ReplyButton(t("verify_button", lang), self._dialogue.data_for(VERIFY)),
            ReplyButton(t("contacts_button", lang), "c:KR"),
            sos_button(lang),
        )
        return [Reply(t("start", lang), buttons=buttons)]

    async def help(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """What Haven can do, and a neutral line that leads to the discreet features."""
        return [Reply(help_text(lang), buttons=(sos_button(lang),))]

    async def privacy(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """What Haven keeps and for how long, with the figures in force; what stays on the phone."""
        policy = self._policy
        figures = f"{t('privacy', lang, **policy.figures())}\n{policy.backups(lang)}"
        text = f"{figures}\n\n{phone_text(lang)}"
        return [Reply(text, buttons=(sos_button(lang),))]

    async def tips(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """The discreet features: code phrase, decoy, safety word, the keyboard on request."""
        return [Reply(t("discreet.tips", lang))]

    async def keys(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """The quick-button keyboard, shown because the person asked (``/keys off`` hides it)."""
        if args.strip().lower() in CHECKIN_OFF:
            return [Reply(t("discreet.keys_off", lang), remove_keyboard=True)]
        return [Reply(t("discreet.keys", lang), keyboard=sos_keyboard(lang), on_request=True)]

    # With a case open: answers that name nothing --------------------------------------

    async def start_neutral(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """/start with a case open: a plain greeting."""
        return [Reply(t("discreet.start", lang))]

    async def help_neutral(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """/help (or an unknown command) with a case open: the commands, named plainly."""
        return [Reply(t("discreet.help", lang))]

    async def privacy_neutral(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """/privacy with a case open: what stays on this phone, and where the rest is told."""
        return [Reply(f"{phone_text(lang)}\n\n{t('discreet.privacy_rest', lang)}")]

    async def forget_neutral(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """/forget with a case open: the same erasure, an answer that names nothing kept."""
        await self._erase(msg)
        return [Reply(t("discreet.forgotten", lang))]

    async def checkin_neutral(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """/checkin with a case open: stopping works; the set-up (which names the team) waits."""
        if args.strip().lower() in CHECKIN_OFF:
            await self._store.stop_checkin(msg.user_id)
            return [Reply(t("discreet.noted", lang))]
        return [Reply(t("discreet.not_now", lang))]

    async def codeword_neutral(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """/codeword with a case open: saved as usual, said plainly."""
        return await self._secret(msg, lang, args, codeword=True, neutral=True)

    async def safeword_neutral(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """/safeword with a case open: saved as usual, said plainly."""
        return await self._secret(msg, lang, args, codeword=False, neutral=True)

    async def language(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """Offer the two languages."""
        return [language_choice(lang)]

    async def contacts(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """Emergency contacts, for the place named if any."""
        country, _city = self._facts.current().find_place(args) if args else (None, None)
        return [contacts_reply(self._facts, country, lang)]

    async def sos(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """A person now, whatever else is going on."""
        return await self._intake.escalate(msg, lang, "/sos command", triage.HIGH, "/sos")

    async def verify(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """Start the guided job check, as its button does."""
        return await self._answers.payload(msg, VERIFY, lang)

    async def forget(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """Erase everything about the user but an open case: the chat, the store, the engine."""
        kept = await self._erase(msg)
        if kept is not None:
            days = self._policy.figures()["case_days"]
            return [Reply(t("forgotten_case_kept", lang, case=kept, case_days=days))]
        return [Reply(t("forgotten", lang))]

    async def _erase(self, msg: Incoming) -> int | None:
        """Erase the chat, the store and the engine's memory; return the open case kept."""
        await self._store.schedule_deletion(msg.chat_id, 0)
        await self._janitor.purge()
        kept = await self._store.forget(msg.user_id, msg.chat_id)
        await self._dialogue.forget(msg.user_id)
        if self._retention is not None:
            await self._retention.scrub()  # the staff group's copies of their closed cases
        return kept

    async def codeword(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """Save a code phrase (as a scrypt hash): sent alone later, it opens a silent case."""
        return await self._secret(msg, lang, args, codeword=True)

    async def safeword(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """Save the safety word that starts every staff message to this user."""
        return await self._secret(msg, lang, args, codeword=False)

    async def weather(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """The decoy: a harmless notice on screen, a silent case for staff."""
        return await self._intake.discreet(msg, lang, "decoy /weather", "weather")

    async def clear(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """Delete this chat's messages (those Telegram still lets a bot delete)."""
        await self._store.schedule_deletion(msg.chat_id, 0)
        await self._janitor.purge()
        return []

    async def rescue(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """Prepare a rescue request for the police, step by step."""
        return await self._flows.start(msg, lang, FlowName.RESCUE)

    async def checkin(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """Register check-ins, or stop them with "/checkin stop"."""
        if args.strip().lower() in CHECKIN_OFF:
            stopped = await self._store.stop_checkin(msg.user_id)
            return [Reply(t("flow.checkin_stopped" if stopped else "flow.checkin_none", lang))]
        return await self._flows.start(msg, lang, FlowName.CHECKIN)

    async def _secret(
        self, msg: Incoming, lang: str, args: str, codeword: bool, neutral: bool = False
    ) -> list[Reply]:
        """Save a code phrase or safety word; the setup messages delete themselves.

        ``neutral`` (a case is open): the answers say nothing of what the secret is for.
        """
        usage = "discreet.codeword_usage" if codeword else "discreet.safeword_usage"
        if not args and neutral:
            return [
                Reply(t("discreet.usage", lang, command="codeword" if codeword else "safeword"))
            ]
        if not args:
            return [Reply(t(usage, lang))]
        if not valid_secret(args):
            return [Reply(t("discreet.secret_length", lang))]
        verdict = await self._dialogue.screen(msg.user_id, args, FORM_DISTRESS_THRESHOLD)
        if verdict.escalate:
            # Someone who types "they beat me" while setting a secret is asking for help now.
            return await self._answers.escalate(msg, lang, verdict, args)
        store = self._store
        await store.remember_user(msg.user_id, msg.chat_id, lang)
        if codeword:
            await store.set_secret(msg.user_id, "codeword_hash", await phrasehash.protect(args))
            done = "discreet.codeword_set"
        else:
            await store.set_secret(msg.user_id, "safety_word", args.strip())
            done = "discreet.safeword_set"
        if msg.message_id is not None:
            await store.schedule_deletion(
                msg.chat_id, SENSITIVE_DELETE_SECONDS, message_id=msg.message_id
            )
        if neutral:
            done = "discreet.saved"
        return [Reply(t(done, lang), delete_in=SENSITIVE_DELETE_SECONDS)]


def help_text(lang: str) -> str:
    """/help: what Haven does, and the neutral line that leads to /tips."""
    return f"{t('help', lang)}\n\n{t('discreet.tips_line', lang)}"


def phone_text(lang: str) -> str:
    """What stays on the phone, and for how long (the /privacy part both answers share)."""
    return t(
        "discreet.phone",
        lang,
        command_seconds=round(COMMAND_ANSWER_SECONDS),
        read_minutes=round(READ_THEN_DELETE_SECONDS / 60),
    )


COMMANDS: dict[str, Handler] = {
    "start": UserCommands.start,
    "help": UserCommands.help,
    "privacy": UserCommands.privacy,
    "language": UserCommands.language,
    "contacts": UserCommands.contacts,
    "sos": UserCommands.sos,
    "verify": UserCommands.verify,
    "forget": UserCommands.forget,
    "codeword": UserCommands.codeword,
    "safeword": UserCommands.safeword,
    "weather": UserCommands.weather,
    "clear": UserCommands.clear,
    "rescue": UserCommands.rescue,
    "checkin": UserCommands.checkin,
    "tips": UserCommands.tips,
    "keys": UserCommands.keys,
}
NEUTRAL: dict[str, Handler] = {
    "start": UserCommands.start_neutral,
    "help": UserCommands.help_neutral,
    "privacy": UserCommands.privacy_neutral,
    "forget": UserCommands.forget_neutral,
    "checkin": UserCommands.checkin_neutral,
    "codeword": UserCommands.codeword_neutral,
    "safeword": UserCommands.safeword_neutral,
}
"""What the commands answer while a case is open: nothing names it, the team or a secret."""
