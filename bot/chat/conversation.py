"""What happens to a user's message: language, triage, case or engine, and the replies.

Telegram handlers and the console chat both call this, so both behave the same. Triage runs
on every message before anything else can fail: with the engine down, slow or confused, the
safety net still opens a case and the staff alert is queued durably.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Any, Protocol

from bot.chat import phrasehash
from bot.chat.answers import COUNTRY_BUTTONS, AnswerRecords, Answers, contacts_reply, sos_button
from bot.chat.bookkeeping import Bookkeeping, IncomingRecords
from bot.chat.checkin import OK_WORDS, CheckIns
from bot.chat.commands import CommandRecords, UserCommands
from bot.chat.contentsafe import content_step, reads_content
from bot.chat.dialogue import FORM_DISTRESS_THRESHOLD, Dialogue, reading
from bot.chat.digressions import candidates, classify
from bot.chat.flowrunner import FLOW_BUTTON, FlowRunner, FlowState
from bot.chat.flows import FLOWS, STOP_WORDS, FlowName
from bot.chat.jobquestions import CHECK_PAYLOAD, JobQuestions
from bot.chat.phrasehash import normalise, valid_secret
from bot.chat.pictures import Fetch, Pictures, opening, staff_text
from bot.chat.replylanguage import LanguageRecords, ReplyLanguage
from bot.common.consent import CONSENT_DATA
from bot.common.incoming import Incoming
from bot.common.keyboard import SosKey, keyboard_action
from bot.common.langid import LanguageId
from bot.common.language import Language
from bot.core import triage
from bot.core.errors import StoreError
from bot.core.facts import FactsStore
from bot.core.jobcheck import looks_like_job_ad
from bot.core.offers import AD_DETAILS_PAYLOAD, DETAILS_PAYLOAD
from bot.core.replies import Reply
from bot.core.texts import t
from bot.delivery.discretion import Discretion, DiscretionRecords
from bot.delivery.janitor import SENSITIVE_DELETE_SECONDS, Janitor
from bot.delivery.retention import Retention, RetentionPolicy
from bot.desk.intake import CaseIntake
from bot.engine.client import Engine
from bot.engine.ocr import Reading
from bot.store import UserState

__all__ = ["ChatRecords", "Conversation"]

log = logging.getLogger(__name__)


def _nothing_pending(state: UserState) -> bool:
    """No flow, code phrase, check-in question or case waits for the user's next message."""
    return (
        state.flow is None
        and state.codeword_hash is None
        and not state.awaiting_checkin
        and state.case is None
    )


async def _is_code_phrase(user_id: int, text: str, stored: str) -> bool:
    """Check the code phrase only for text that could be one: scrypt costs ~50 ms."""
    return valid_secret(text) and await phrasehash.matches(user_id, text, stored)


class ChatRecords(
    AnswerRecords, CommandRecords, DiscretionRecords, LanguageRecords, IncomingRecords, Protocol
):
    """What the conversation reads and writes: the parts it builds over the same store
    (answers, commands, discretion, the language choice, the bookkeeping of incoming
    messages), and the person's state, flow and case notes."""

    async def user_state(self, user_id: int) -> UserState: ...
    async def add_recent(self, user_id: int, text: str) -> None: ...
    async def flow(self, user_id: int) -> tuple[str, int, dict[str, Any]] | None: ...
    async def end_flow(self, user_id: int) -> None: ...
    async def set_case_note(self, case_id: int, column: str, value: str) -> None: ...


class Conversation:
    """Haven's side of a private chat."""

    def __init__(
        self,
        *,
        store: ChatRecords,
        engine: Engine | None,
        facts: FactsStore,
        net: triage.Screen,
        intake: CaseIntake,
        flows: FlowRunner,
        checkins: CheckIns,
        janitor: Janitor,
        distress_threshold: float,
        retention: Retention | None = None,
        langid: LanguageId,
        pictures: Pictures | None = None,
        discretion: Discretion | None = None,
    ) -> None:
        """Wire the pipeline; every collaborator is built by ``runtime.open_haven``.

        ``retention`` removes a forgotten user's copies from the staff group at once, and its
        policy holds the figures /privacy states (the defaults when not given). ``pictures``
        reads the words in pictures (without it, pictures are answered as unreadable for now).
        ``discretion`` renders every reply to a person with an open case
        (bot/delivery/discretion.py).
        """
        self.store = store
        self.records = Bookkeeping(store)
        self.facts = facts
        self.net = net
        self.dialogue = Dialogue(engine, net, distress_threshold)
        self.intake = intake
        self.flows = flows
        self.checkins = checkins
        self.janitor = janitor
        self.retention = retention
        self.policy = retention.policy if retention is not None else RetentionPolicy()
        self.langid = langid
        self.answers = Answers(
            store=store,
            facts=facts,
            net=net,
            dialogue=self.dialogue,
            intake=intake,
            langid=langid,
        )
        self.commands = UserCommands(
            answers=self.answers,
            store=store,
            facts=facts,
            dialogue=self.dialogue,
            intake=intake,
            flows=flows,
            janitor=janitor,
            retention=retention,
            policy=self.policy,
        )
        self.jobs = JobQuestions(answers=self.answers, dialogue=self.dialogue, facts=facts)
        self.pictures = pictures or Pictures(None)
        self.discretion = discretion or Discretion(store)
        self.languages = ReplyLanguage(store)

    # Entry points ---------------------------------------------------------------------

    async def on_text(self, msg: Incoming) -> list[Reply]:
        """Answer a text message (typed, or sent by a keyboard button), recorded on return."""
        try:
            return await self.answer_text(msg)
        finally:
            await self.settle(msg.user_id)

    async def answer_text(self, msg: Incoming) -> list[Reply]:
        """``on_text`` for a front end that sends the replies first and then calls ``settle``:
        an ordinary answer does not wait for the message's record to reach the disk."""
        await self.settle(msg.user_id)
        return await self.discretion.replies(msg, await self._text(msg))

    async def settle(self, user_id: int) -> None:
        """Wait until the records of the user's messages are written (bot/chat/bookkeeping.py)."""
        await self.records.settle(user_id)

    async def on_button(self, msg: Incoming, data: str) -> list[Reply]:
        """Answer an inline button press; unknown data is treated as expired or forged."""
        await self.settle(msg.user_id)
        return await self.discretion.replies(msg, await self._button(msg, data))

    async def on_media(self, msg: Incoming, picture: Fetch | None = None) -> list[Reply]:
        """Answer a photo, voice message, sticker, location or other non-text message."""
        await self.settle(msg.user_id)
        try:
            return await self.discretion.replies(msg, await self._media(msg, picture))
        finally:
            await self.settle(msg.user_id)

    async def on_command(self, msg: Incoming, command: str, args: str = "") -> list[Reply]:
        """Answer one of the user commands (bot/chat/commands.py)."""
        await self.settle(msg.user_id)
        return await self.discretion.replies(
            msg, await self._command(msg, command, args), command=True
        )

    # What each entry point answers, before bot/delivery/discretion.py renders it -------

    async def _text(self, msg: Incoming) -> list[Reply]:
        text = msg.text.strip()
        reading = asyncio.ensure_future(self.store.user_state(msg.user_id))
        await asyncio.sleep(0)  # the read is with the database thread now
        self.net.check(text)  # screen meanwhile; the verdicts below reuse the answer
        state = await self._state(reading)
        lang = self.languages.of(msg, text, state.prefs)
        changed = self.languages.changed(msg, lang, state.prefs)
        if text and _nothing_pending(state) and not self._answered_here(text):
            early = await self._before_engine(msg, text, lang)
            if early is not None:
                await self.records.take_in(msg, changed, text)
                return early
            # The common case: the engine answers while the message is recorded, and an
            # ordinary answer leaves without waiting for the record (the caller settles it).
            self.records.start(msg.user_id, self.records.take_in(msg, changed, text))
            result = await self.dialogue.ask(msg.user_id, text, lang)
            if self.answers.reads_records(msg, text, result):
                await self.settle(msg.user_id)
            return await self.answers.decide(msg, text, lang, result)
        await self.records.take_in(msg, changed, None)
        if not text:
            return [Reply(t("empty", lang))]
        flow = state.flow
        if flow is not None:
            return await self._in_flow(msg, lang, flow, text, urgent=state.case is not None)
        if state.codeword_hash and await _is_code_phrase(msg.user_id, text, state.codeword_hash):
            return await self.intake.discreet(msg, lang, "code phrase", "codeword")
        if state.awaiting_checkin:
            answered = await self.checkins.answered(msg.user_id, text)
            if answered == "duress":
                return await self.intake.discreet(msg, lang, "check-in duress word", "ok")
            if answered == "ok" and normalise(text) in OK_WORDS:
                return [Reply(t("decoy.ok", lang))]
        action = keyboard_action(text)
        if action is not None:
            return await self._keyboard(msg, lang, action, text)
        if state.case is not None:
            return await self.intake.relay_text(msg, lang, state.case, text)
        await self.store.add_recent(msg.user_id, text)
        if reads_content(looks_like_job_ad, text):
            early = await content_step(self.jobs.job_ad(msg, text, lang))
            if early is not None:
                return early
        early = await self._before_engine(msg, text, lang)
        if early is not None:
            return early
        result = await self.dialogue.ask(msg.user_id, text, lang)
        return await self.answers.decide(msg, text, lang, result)

    async def _button(self, msg: Incoming, data: str) -> list[Reply]:
        lang = await self.languages.known(msg)
        if data in ("lang:ko", "lang:en"):
            return await self.answers.set_language(msg, data.removeprefix("lang:"), lang)
        if data.startswith("c:"):
            country = data.removeprefix("c:").upper()
            if country in COUNTRY_BUTTONS:
                return [contacts_reply(self.facts, country, lang)]
            return [Reply(t("button_expired", lang), toast=True)]
        if data == "sos":
            return await self.intake.escalate(msg, lang, "sos button", triage.HIGH, "[SOS button]")
        if data in ("del", "del:60") and msg.message_id is not None:
            delay = 0.0 if data == "del" else SENSITIVE_DELETE_SECONDS
            await self.store.log_message(msg.chat_id, msg.message_id, "bot")
            await self.store.schedule_deletion(msg.chat_id, delay, message_id=msg.message_id)
            if delay == 0:
                await self.janitor.purge()
                return []
            return [Reply(t("discreet.delete_scheduled", lang), toast=True)]
        if data.startswith(CONSENT_DATA):
            return await self.answers.consent(msg, lang, data.removeprefix(CONSENT_DATA))
        if data == "ci:ok":
            await self.checkins.answered(msg.user_id, "ok")
            return [Reply(t("decoy.ok", lang), toast=True)]
        if data.startswith(FLOW_BUTTON):
            flow = await self.store.flow(msg.user_id)
            if flow is None:
                return [Reply(t("button_expired", lang), toast=True)]
            return await self.flows.answer(msg, lang, flow, data.removeprefix(FLOW_BUTTON))
        payload = self.dialogue.payload_for(data)
        if payload is None:
            return [Reply(t("button_expired", lang), toast=True)]
        if payload.startswith(CHECK_PAYLOAD):
            return await self.jobs.start_check(msg, lang, payload.removeprefix(CHECK_PAYLOAD))
        if payload.startswith(DETAILS_PAYLOAD):
            return await self.jobs.details(lang, payload.removeprefix(DETAILS_PAYLOAD))
        if payload.startswith(AD_DETAILS_PAYLOAD):
            return await self.jobs.ad_details(lang, payload.removeprefix(AD_DETAILS_PAYLOAD))
        return await self.answers.payload(msg, payload, lang)

    async def _media(self, msg: Incoming, picture: Fetch | None = None) -> list[Reply]:
        """A caption is read like a message: a cry for help in it opens (or joins) the case, and
        the photo, video or document itself goes to staff with it. Outside flows and cases, a
        caption is answered as text would be. A ``picture`` (a photo, an image sent as a file)
        is read first, and its words go with the caption down the same path; the answer then
        starts from a short quote of what was read, or says why nothing was.
        """
        await self.records.log_incoming(msg)
        prior = await self.languages.prefs(msg) if picture is not None else None
        lang = await self.languages.known(msg)
        caption = msg.text.strip()
        seen = await self.pictures.read(picture, msg.user_id) if picture is not None else None
        said = "\n".join(part for part in (caption, seen.text if seen else "") if part)
        if seen is not None:
            lang = self.languages.for_picture(msg, caption, seen.text, prior, lang)
        if said:
            urgent = await self._caption_distress(
                msg, lang, said, staff_text(msg.kind, caption, seen)
            )
            if urgent is not None:
                return self._opened(urgent, seen, lang)
        flow = await self.store.flow(msg.user_id)
        if flow is not None and msg.kind != "live_location":
            return self._opened(await self.flows.answer(msg, lang, flow, None), seen, lang)
        case = await self.store.active_case(msg.user_id)
        if case is not None and msg.message_id is not None:
            await self.intake.relay_media(case, msg)
            if seen is not None and seen.text:
                await self.intake.relays.text(case, staff_text(msg.kind, "", seen))
            if msg.kind == "live_location":
                return []
            return self._opened([self.intake.media_received(case, lang)], seen, lang)
        if msg.kind in ("location", "live_location"):
            return [Reply(t("location_received", lang), buttons=(sos_button(lang),))]
        if said:
            answer_in = lang if seen is not None else None
            typed = replace(msg, text=said, kind="text", message_id=None, reply_language=answer_in)
            replies = await self._text(typed)
            if seen is not None:
                await self._relay_if_opened(msg)
            return self._opened(replies, seen, lang)
        if seen is not None:
            return [Reply(opening(seen, lang), buttons=(sos_button(lang),))]
        return [Reply(t("non_text", lang), buttons=(sos_button(lang),))]

    def _opened(self, replies: list[Reply], seen: Reading | None, lang: str) -> list[Reply]:
        """Start the answer to a picture from what was read in it (or why nothing was)."""
        if seen is None or not replies:
            return replies
        first = replies[0]
        return [replace(first, text=f"{opening(seen, lang)}\n\n{first.text}"), *replies[1:]]

    async def _relay_if_opened(self, msg: Incoming) -> None:
        """A picture whose words opened a case on the typed path goes to staff with it."""
        if msg.message_id is None:
            return
        try:
            case = await self.store.active_case(msg.user_id)
        except StoreError as exc:
            log.error("could not check for a case the picture opened: %s", exc)
            return
        if case is not None:
            await self.intake.relay_media(case, msg)

    async def _command(self, msg: Incoming, command: str, args: str = "") -> list[Reply]:
        await self.records.log_incoming(msg)
        lang = await self.languages.known(msg)
        return await self.commands.run(msg, command, args, lang)

    # Decisions ------------------------------------------------------------------------

    async def _keyboard(self, msg: Incoming, lang: str, action: SosKey, text: str) -> list[Reply]:
        """Act on a persistent-keyboard button."""
        if action is SosKey.NOT_SAFE:
            return await self.intake.escalate(msg, lang, "not-safe button", triage.HIGH, text)
        if action is SosKey.RESCUE:
            return await self.flows.start(msg, lang, FlowName.RESCUE)
        if action is SosKey.CALL_LATER:
            return await self.flows.start(msg, lang, FlowName.CALL_LATER)
        # "Can't talk" (or a typed "share my location" from a client without the button).
        case = await self.intake.active_or_open(msg, lang, "can't talk button", text)
        await self.store.set_case_note(case.id, "contact_note", "text only, do not call")
        await self.intake.relays.notice(case, "🤐 text only, do not call")
        return [Reply(t("cant_talk_ack", lang))]

    async def _caption_distress(
        self, msg: Incoming, lang: str, caption: str, for_staff: str
    ) -> list[Reply] | None:
        """A caption (or a picture's words) asking for help: the case opens (or is joined) and
        the media goes with it; staff read ``for_staff``."""
        verdict = await self.dialogue.screen(msg.user_id, caption, self.dialogue.threshold)
        if not verdict.escalate:
            return None
        await self.store.end_flow(msg.user_id)
        replies = await self.answers.escalate(msg, lang, verdict, for_staff)
        case = await self.store.active_case(msg.user_id)
        if case is not None and msg.message_id is not None:
            await self.intake.relay_media(case, msg)
        return replies

    async def _in_flow(
        self, msg: Incoming, lang: Language, flow: FlowState, text: str, urgent: bool = False
    ) -> list[Reply]:
        """A text typed into a flow: distress first, then a digression, else the answer.

        In a flow that keeps a case (the rescue request) a cry for help joins that case and
        the flow goes on; any other flow ends and the case opens. ``urgent``: the person has
        an open case, so the engine reads this before ordinary questions.
        """
        verdict = await self.dialogue.screen(
            msg.user_id, text, FORM_DISTRESS_THRESHOLD, urgent=urgent
        )
        keeps_case = FLOWS[FlowName(flow[0])].case_reason is not None
        if verdict.escalate:
            if not keeps_case:
                await self.store.end_flow(msg.user_id)
                return await self.answers.escalate(msg, lang, verdict, text)
            replies = await self.answers.escalate(msg, lang, verdict, text)
            return [*replies, self.flows.ask_again(flow, lang)]
        if normalise(text) not in STOP_WORDS:
            kinds = candidates(text)
            if kinds:
                result = await self.dialogue.parse(msg.user_id, text, urgent)
                kind = classify(kinds, *reading(result))
                if kind is not None:
                    replies, lang = await self.jobs.digress(msg, text, lang, kind)
                    again = self.flows.ask_again(flow, lang)
                    resumed = replace(again, text=f"{t('flow.resume', lang)}\n{again.text}")
                    return [*replies, resumed]
        return await self.flows.answer(msg, lang, flow, text)

    async def _before_engine(self, msg: Incoming, text: str, lang: Language) -> list[Reply] | None:
        """Answer here what the engine would get wrong: inside the check, a stop word or a
        digression; outside it, a question about an offer that already names red flags."""
        if self.dialogue.in_check(msg.user_id):
            return await content_step(self.jobs.inside_check(msg, text, lang))
        return await content_step(self.jobs.offer_question(msg, text, lang))

    @staticmethod
    def _answered_here(text: str) -> bool:
        """A keyboard button or a pasted job ad: answered without the dialogue."""
        return keyboard_action(text) is not None or bool(reads_content(looks_like_job_ad, text))

    # Helpers --------------------------------------------------------------------------

    async def _state(self, reading: asyncio.Future[UserState]) -> UserState:
        """The user's state; with the store failing, none: triage must still run."""
        try:
            return await reading
        except StoreError as exc:
            log.error("could not read the user's state (%s); deciding without it", exc)
            return UserState()
