"""Questions about job offers: a pasted ad, a practice asked about, the guided check's detours.

The engine's form asks its nine questions in order; a person asks what they want to know. Here
a question that already names a red flag gets that flag first (with its source) and a check
pre-filled from the message, and inside the check a question about something else is answered
before the check goes on. Distress inside any of it still escalates.
"""

from __future__ import annotations

import json

from bot.chat.answers import Answers, contacts_reply, language_target
from bot.chat.commands import VERIFY
from bot.chat.dialogue import FORM_DISTRESS_THRESHOLD, Dialogue, reading
from bot.chat.digressions import Digression, candidates, classify
from bot.chat.flows import STOP_WORDS
from bot.chat.phrasehash import normalise
from bot.common.incoming import Incoming
from bot.common.language import Language
from bot.core.facts import FactsStore
from bot.core.jobcheck import (
    assess,
    job_texts,
    parse_choice,
    parse_pay,
    rate_flags,
    render_assessment,
    scan_ad,
    title_lines,
)
from bot.core.offers import (
    CHECK_SLOTS,
    PREFILL_SLOT,
    OfferQuestion,
    answers_from,
    asks,
    describe_prefill,
    flags_from,
    flags_payload,
    offer_from,
    practices_in,
    prefill_from,
    read_question,
    render_answer,
    render_flags,
)
from bot.core.replies import Reply, ReplyButton
from bot.core.texts import t

__all__ = ["CHECK_PAYLOAD", "JobQuestions", "answers_first", "offer_threshold"]

CHECK_PAYLOAD = "/verify_job_offer "
"""Button payload of a guided check pre-filled from the user's message (JSON follows)."""
# Engine intents under which a message that names red flags is a question about an offer,
# and those under which a practice it mentions is not what it asks about.
OFFER_INTENTS = frozenset(
    {"verify_job_offer", "ask_red_flags", "ask_agency_check", "ask_travel_advisory"}
)
NOT_ABOUT_OFFER = frozenset(
    {
        "ask_emergency_contacts",
        "ask_figures",
        "change_language",
        "greet",
        "goodbye",
        "thanks",
        "stop",
    }
)


def answers_first(question: OfferQuestion, intent: str | None, engine_up: bool) -> bool:
    """Whether a message about an offer gets its red flags before any questionnaire.

    A practice asked about ("they keep my passport, is that fine?") is answered unless the
    engine reads the message as something else (contacts, distress, a language); red flags
    named without one ("인스타 DM으로 … 월 600 …") only when the engine reads an offer. Flags
    of the place alone ("a job in Cambodia, is it real?") lead to the check, which asked.
    """
    if not question.answerable or question.only_place:
        return False
    if question.practices:
        return intent not in NOT_ABOUT_OFFER
    return not engine_up or intent in OFFER_INTENTS


def offer_threshold(question: OfferQuestion, text: str, base: float) -> float:
    """How sure the engine must be of distress in a message about an offer.

    A question about a practice ("they keep the passport, is that ok?") names the words the
    engine learned from distress; like an answer inside the check, it escalates on the engine
    only when the engine is sure. The safety net still runs on it unchanged.
    """
    if question.practices and asks(text):
        return max(base, FORM_DISTRESS_THRESHOLD)
    return base


class JobQuestions:
    """Answers what people ask about offers, in and around the engine's guided check."""

    def __init__(self, *, answers: Answers, dialogue: Dialogue, facts: FactsStore) -> None:
        """Ask the engine through ``dialogue``; escalate and set the language through ``answers``."""
        self._answers = answers
        self._dialogue = dialogue
        self._facts = facts

    async def job_ad(self, msg: Incoming, text: str, lang: str) -> list[Reply]:
        """Scan a pasted job ad; distress inside it still escalates."""
        verdict = self._dialogue.verdict(text, await self._dialogue.parse(msg.user_id, text))
        if verdict.escalate:
            return await self._answers.escalate(msg, lang, verdict, text)
        facts = self._facts.current()
        flags = scan_ad(text, facts)
        details: tuple[ReplyButton, ...] = ()
        if flags:
            texts = job_texts()
            lines = [texts.message(f"risk_{rate_flags(flags)}", lang), t("job_ad_flags", lang)]
            lines += title_lines(flags, lang)
            country, city = facts.find_place(text)
            advisory = facts.advisory_line(country, city, lang)
            body = "\n".join(lines) + (f"\n\n{advisory}" if advisory else "")
            details = (
                ReplyButton(
                    t("check.details_button", lang), self._dialogue.data_for(flags_payload(flags))
                ),
            )
        else:
            body = t("job_ad_clean", lang)
        return [
            Reply(
                body,
                buttons=(
                    *details,
                    ReplyButton(
                        t("verify_button", lang), self._dialogue.data_for("/verify_job_offer")
                    ),
                    ReplyButton(t("contacts_button", lang), "c:KR"),
                ),
            )
        ]

    # Distress, digressions and offer questions -----------------------------------------

    async def inside_check(self, msg: Incoming, text: str, lang: Language) -> list[Reply] | None:
        """Inside the guided check: leave on "stop"/"그만"/"취소"; answer a digression and ask
        the same question again; anything else goes to the check as an answer."""
        if normalise(text) in STOP_WORDS:
            stopped = await self._dialogue.stop_check(msg.user_id, lang)
            return self._dialogue.render(stopped) if stopped else [Reply(t("flow.stopped", lang))]
        kinds = candidates(text)
        practices = practices_in(text) if asks(text) else []
        if not kinds and not practices:
            more = self._more_answers(msg.user_id, text)
            if not more:
                return None
            # One message answering several questions fills them all; the form goes on
            # with the first question still open.
            result = await self._dialogue.ask(msg.user_id, text, lang, slots=more)
            return await self._answers.decide(msg, text, lang, result)
        result = await self._dialogue.parse(msg.user_id, text)
        intent, confidence = reading(result)
        verdict = self._dialogue.verdict(text, result, FORM_DISTRESS_THRESHOLD)
        if verdict.escalate:
            return await self._answers.escalate(msg, lang, verdict, text)
        kind = classify(kinds, intent, confidence)
        if kind is not None:
            replies, lang = await self.digress(msg, text, lang, kind)
        elif practices and not self._answers_question(msg.user_id, text):
            facts = self._facts.current()
            question = read_question(text, facts.find_place(text), facts)
            replies = [Reply(render_answer(question, lang, facts.contact_lines))]
        else:
            return None
        return [*replies, *await self._dialogue.resume_check(msg.user_id, lang)]

    def _more_answers(self, user_id: int, text: str) -> dict[str, str | None]:
        """Answers a message inside the check gives to questions other than the one asked."""
        asked = self._dialogue.asked_slot(user_id)
        if asked is None:
            return {}
        facts = self._facts.current()
        given = prefill_from(text, facts.find_place(text))
        more: dict[str, str | None] = {k: v for k, v in given.items() if k != asked}
        if more:
            more[PREFILL_SLOT] = ",".join(more)
        return more

    async def ad_details(self, lang: str, raw: str) -> list[Reply]:
        """A scanned ad's "details": each warning sign explained, with its source."""
        flags = flags_from(raw)
        return [Reply(render_flags(flags, lang) or t("button_expired", lang))]

    async def details(self, lang: str, raw: str) -> list[Reply]:
        """The job check's "details": every flag explained, the advisory, how to verify, and
        the contacts (each number once)."""
        facts = self._facts.current()
        offer = offer_from(answers_from(raw))
        parts = [render_assessment(assess(offer, facts), lang)]
        if offer.country:
            parts.append(facts.render_advisory(offer.country, offer.city, lang))
        parts.append(facts.render_how_to_verify(lang))
        parts.append(facts.render_contacts(offer.country, lang))
        return [Reply("\n\n".join(p for p in parts if p))]

    def _answers_question(self, user_id: int, text: str) -> bool:
        """Whether a text reads as an answer to the check's current question."""
        slot = self._dialogue.asked_slot(user_id)
        fields = {
            "jc_channel": "channel",
            "jc_flight": "flight_paid_by",
            "jc_visa": "visa",
            "jc_documents": "asked_passport_deposit_bank",
            "jc_contract": "written_contract",
            "jc_verifiable": "verifiable",
        }
        if slot == "jc_destination":
            return self._facts.current().find_place(text)[0] is not None
        if slot == "jc_pay":
            return parse_pay(text) is not None
        if slot in fields:
            return parse_choice(fields[slot], text) is not None
        return slot == "jc_job_type"

    async def digress(
        self, msg: Incoming, text: str, lang: Language, kind: Digression
    ) -> tuple[list[Reply], Language]:
        """Answer a digression; return the replies and the language to go on in."""
        facts = self._facts.current()
        country, city = facts.find_place(text)
        if kind is Digression.CONTACTS:
            return [contacts_reply(self._facts, country, lang)], lang
        if kind is Digression.RED_FLAGS:
            return [Reply(facts.render_red_flags(lang))], lang
        if kind is Digression.FIGURES:
            return [Reply(facts.render_figures(lang))], lang
        if kind is Digression.ADVISORY:
            if country is None:
                return [Reply(t("actions.which_place", lang))], lang
            return [Reply(facts.render_advisory(country, city, lang))], lang
        if kind is Digression.LANGUAGE:
            target: Language = "en" if language_target(text) == "en" else "ko"
            return await self._answers.set_language(msg, target, lang), target
        return [Reply(t("flow.thanks", lang))], lang

    async def offer_question(self, msg: Incoming, text: str, lang: Language) -> list[Reply] | None:
        """A question about an offer that names red flags gets them first, then the check.

        The flags come from the words (the practice asked about, what a pasted ad with those
        words would raise, what the check would raise from the answers the message gives); the
        engine confirms that the message is about an offer, and distress still escalates.
        """
        facts = self._facts.current()
        question = read_question(text, facts.find_place(text), facts)
        if not question.answerable or question.only_place:
            return None
        result = await self._dialogue.parse(msg.user_id, text)
        intent, _confidence = reading(result)
        threshold = offer_threshold(question, text, self._dialogue.threshold)
        verdict = self._dialogue.verdict(text, result, threshold)
        if verdict.escalate:
            return await self._answers.escalate(msg, lang, verdict, text)
        if not answers_first(question, intent, result is not None):
            return None
        return [self._direct_answer(question, lang)]

    def _direct_answer(self, question: OfferQuestion, lang: str) -> Reply:
        """The flags with their sources, what the message gave, and the offer of the check."""
        blocks = [render_answer(question, lang, self._facts.current().contact_lines)]
        contacts = ReplyButton(t("contacts_button", lang), "c:KR")
        if question.after_the_fact:  # something was already sent: no questionnaire now
            return Reply("\n\n".join(b for b in blocks if b), buttons=(contacts,))
        if question.prefill:
            facts = self._facts.current()
            country, _, city = question.prefill.get("jc_destination", "").partition("|")
            blocks.append(facts.advisory_line(country or None, city or None, lang))
            items = describe_prefill(question.prefill, lang, facts.country_name)
            blocks.append(t("check.took", lang, items=items))
        blocks.append(t("check.offer_rest", lang, n=question.remaining))
        payload = CHECK_PAYLOAD + json.dumps(question.prefill, ensure_ascii=False)
        details: tuple[ReplyButton, ...] = ()
        if question.split_flags()[1]:  # some signs only named: explained under Details
            data = self._dialogue.data_for(flags_payload(question.flags))
            details = (ReplyButton(t("check.details_button", lang), data),)
        return Reply(
            "\n\n".join(b for b in blocks if b),
            buttons=(
                *details,
                ReplyButton(
                    t("check.rest_button", lang, n=question.remaining),
                    self._dialogue.data_for(payload),
                ),
                contacts,
            ),
        )

    async def start_check(self, msg: Incoming, lang: str, raw: str) -> list[Reply]:
        """Start the guided check with the answers read from the user's message."""
        try:
            given = json.loads(raw)
        except ValueError:
            return [Reply(t("button_expired", lang), toast=True)]
        prefill = {
            k: str(v)
            for k, v in (given if isinstance(given, dict) else {}).items()
            if k in CHECK_SLOTS
        }
        slots: dict[str, str | None] = {slot: prefill.get(slot) for slot in CHECK_SLOTS}
        slots[PREFILL_SLOT] = ",".join(prefill) or None
        result = await self._dialogue.ask(msg.user_id, VERIFY, lang, slots=slots)
        return await self._answers.decide(msg, VERIFY, lang, result)
