"""The private chat's commands (/start, /contacts, /forget, …): one handler each, one table.

Adding a command is one method here and one row of ``COMMANDS``; the Telegram menu lists
only some of them (bot/telegram/app.py), so a watched phone shows nothing unusual.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot import discreet, phrasehash
from bot.core import triage
from bot.core.facts import FactsStore
from bot.core.texts import t
from bot.dialogue import FORM_DISTRESS_THRESHOLD
from bot.discreet import valid_secret
from bot.flows import FlowName
from bot.incoming import Incoming
from bot.replies import Reply, ReplyButton

if TYPE_CHECKING:
    from bot.conversation import Conversation

COUNTRY_BUTTONS = ("KH", "TH", "VN", "LA", "MM", "PH", "KR")
TO_ENGLISH = re.compile(r"영어|영문|잉글리시|english|eng\b", re.IGNORECASE)
TO_KOREAN = re.compile(r"한국어|한글|한국말|국어|korean|hangul", re.IGNORECASE)
CHECKIN_OFF = ("stop", "off", "그만", "중단", "취소")
VERIFY = "/verify_job_offer"

Handler = Callable[["UserCommands", Incoming, str, str], Awaitable[list[Reply]]]


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
    if TO_ENGLISH.search(text):
        return "en"
    if TO_KOREAN.search(text):
        return "ko"
    return None


class UserCommands:
    """Answers the commands a user types in the private chat."""

    def __init__(self, conversation: Conversation) -> None:
        """Act through the conversation's parts (store, intake, flows, dialogue, …)."""
        self.c = conversation

    async def run(self, msg: Incoming, command: str, args: str, lang: str) -> list[Reply]:
        """Answer ``command``; an unknown one gets the help text."""
        handler = COMMANDS.get(command)
        if handler is None:
            return [Reply(t("help", lang))]
        return await handler(self, msg, lang, args)

    async def start(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """Who Haven is, with the three things it does as buttons."""
        buttons = (
            ReplyButton(t("verify_button", lang), self.c.dialogue.data_for(VERIFY)),
            ReplyButton(t("contacts_button", lang), "c:KR"),
            sos_button(lang),
        )
        return [Reply(t("start", lang), buttons=buttons)]

    async def help(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """What Haven can do."""
        return [Reply(t("help", lang), buttons=(sos_button(lang),))]

    async def privacy(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """What Haven keeps and for how long, with the figures in force."""
        policy = self.c.policy
        text = f"{t('privacy', lang, **policy.figures())}\n{policy.backups(lang)}"
        return [Reply(text, buttons=(sos_button(lang),))]

    async def language(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """Offer the two languages."""
        choices = (ReplyButton("한국어", "lang:ko"), ReplyButton("English", "lang:en"))
        return [Reply(t("choose_language", lang), buttons=choices)]

    async def contacts(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """Emergency contacts, for the place named if any."""
        country, _city = self.c.facts.current().find_place(args) if args else (None, None)
        return [contacts_reply(self.c.facts, country, lang)]

    async def sos(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """A person now, whatever else is going on."""
        return await self.c.intake.escalate(msg, lang, "/sos command", triage.HIGH, "/sos")

    async def verify(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """Start the guided job check, as its button does."""
        return await self.c.on_button(msg, self.c.dialogue.data_for(VERIFY))

    async def forget(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """Erase everything about the user but an open case: the chat, the store, the engine."""
        await self.c.store.schedule_deletion(msg.chat_id, 0)
        await self.c.janitor.purge()
        kept = await self.c.store.forget(msg.user_id, msg.chat_id)
        await self.c.dialogue.forget(msg.user_id)
        if self.c.retention is not None:
            await self.c.retention.scrub()  # the staff group's copies of their closed cases
        if kept is not None:
            days = self.c.policy.figures()["case_days"]
            return [Reply(t("forgotten_case_kept", lang, case=kept, case_days=days))]
        return [Reply(t("forgotten", lang))]

    async def codeword(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """Save a code phrase (as a scrypt hash): sent alone later, it opens a silent case."""
        return await self._secret(msg, lang, args, codeword=True)

    async def safeword(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """Save the safety word that starts every staff message to this user."""
        return await self._secret(msg, lang, args, codeword=False)

    async def weather(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """The decoy: a harmless notice on screen, a silent case for staff."""
        return await self.c.intake.discreet(msg, lang, "decoy /weather", "weather")

    async def clear(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """Delete this chat's messages (those Telegram still lets a bot delete)."""
        await self.c.store.schedule_deletion(msg.chat_id, 0)
        await self.c.janitor.purge()
        return []

    async def rescue(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """Prepare a rescue request for the police, step by step."""
        return await self.c.flows.start(msg, lang, FlowName.RESCUE)

    async def checkin(self, msg: Incoming, lang: str, args: str) -> list[Reply]:
        """Register check-ins, or stop them with "/checkin stop"."""
        if args.strip().lower() in CHECKIN_OFF:
            stopped = await self.c.store.stop_checkin(msg.user_id)
            return [Reply(t("flow.checkin_stopped" if stopped else "flow.checkin_none", lang))]
        return await self.c.flows.start(msg, lang, FlowName.CHECKIN)

    async def _secret(self, msg: Incoming, lang: str, args: str, codeword: bool) -> list[Reply]:
        """Save a code phrase or safety word; the setup messages delete themselves."""
        usage = "discreet.codeword_usage" if codeword else "discreet.safeword_usage"
        if not args:
            return [Reply(t(usage, lang))]
        if not valid_secret(args):
            return [Reply(t("discreet.secret_length", lang))]
        verdict = await self.c.dialogue.screen(msg.user_id, args, FORM_DISTRESS_THRESHOLD)
        if verdict.escalate:
            # Someone who types "they beat me" while setting a secret is asking for help now.
            return await self.c.escalate(msg, lang, verdict, args)
        store = self.c.store
        await store.remember_user(msg.user_id, msg.chat_id, lang)
        if codeword:
            await store.set_secret(msg.user_id, "codeword_hash", await phrasehash.protect(args))
            done = "discreet.codeword_set"
        else:
            await store.set_secret(msg.user_id, "safety_word", args.strip())
            done = "discreet.safeword_set"
        if msg.message_id is not None:
            await store.schedule_deletion(
                msg.chat_id, discreet.SENSITIVE_DELETE_SECONDS, message_id=msg.message_id
            )
        return [Reply(t(done, lang), delete_in=discreet.SENSITIVE_DELETE_SECONDS)]


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
}
