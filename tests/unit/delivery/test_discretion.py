"""Discretion on a watched phone: what the lock screen, the keyboard and the chat show (#23).

Fast tier: the one rule (bot/core/discretion.py) against every text Haven can send, in both
languages, and the parts wired as in production (real SQLite file, no engine, no Telegram).
"""

from __future__ import annotations

import string
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.chat.flows import CALL_LATER, CHECKIN, RESCUE, prompt
from bot.core.discretion import (
    OPENING_ROOM,
    PREVIEW_CHARS,
    is_neutral,
    notification_safe,
    opening,
    reveals,
)
from bot.core.replies import MAX_TEXT, Reply, ReplyButton, utf16_len
from bot.core.texts import TEXTS, t
from bot.delivery.janitor import DELETABLE_FOR
from bot.desk.canned import load_canned
from bot.desk.words import with_safety_word
from bot.store import Consent, OutboxItem, OutboxKind, Outgoing, Party
from bot.store.outbox import parts as parts_of
from tests.parts import CONTENT, STAFF, STAFF_CHAT, USER, Parts, build_parts, message

LANGS = ("ko", "en")
SAFETY_WORD = "tiger lily"
CODE_PHRASE = "blue umbrella"
NAMES_THE_CASE = ("case", "#", "team", "staff", "counsel", "상담", "팀", "사건", SAFETY_WORD)
"""What no command's answer may say during a discreet case (whole text, not only the preview)."""


def filled(text: str) -> str:
    """A template with every placeholder filled, as a case would fill it."""
    names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
    return text.format(**dict.fromkeys(names, 12))


def person_texts() -> list[tuple[str, str, str]]:
    """(where, lang, text) of everything Haven may send into a person's private chat."""
    found = [
        (key, lang, filled(text))
        for key, variants in TEXTS.items()
        if not key.startswith(("staff.", "command.", "actions."))
        for lang, text in variants.items()
    ]
    for steps in (RESCUE, CHECKIN, CALL_LATER):
        found += [(f"flow:{s.key}", lang, prompt(s, lang)) for s in steps for lang in LANGS]
    for entry in load_canned(CONTENT / "canned.yml"):
        found += [(f"canned:{entry.key}", lang, filled(entry.texts[lang])) for lang in LANGS]
    for lang in LANGS:
        staff = with_safety_word(t("to_user.from_staff", lang, text="We are with you."), "x")
        found.append(("staff words", lang, staff.replace("🔑 x", f"🔑 {SAFETY_WORD}")))
    return found


@pytest.mark.parametrize(("where", "lang", "text"), person_texts())
def test_every_text_passes_the_preview_rule_once_rendered(where: str, lang: str, text: str) -> None:
    shown = notification_safe(text, lang, (SAFETY_WORD,))
    assert reveals(shown, (SAFETY_WORD,)) == [], f"{where} ({lang}) shows: {shown[:PREVIEW_CHARS]}"
    assert shown.endswith(text), "the substance follows, unchanged"
    assert notification_safe(shown, lang, (SAFETY_WORD,)) == shown, "rendering twice is a no-op"


@pytest.mark.parametrize("lang", LANGS)
def test_the_opening_is_neutral_and_fills_the_preview(lang: str) -> None:
    first_line = opening(lang).split("\n")[0]
    assert len(opening(lang)) >= PREVIEW_CHARS
    assert is_neutral(opening(lang))
    assert first_line.startswith("💬")
    escalated = notification_safe(t("escalated", lang, case=3), lang)
    assert escalated.split("\n")[0] == first_line


def test_a_secret_inside_the_opening_is_never_shown() -> None:
    word = "read it"
    shown = notification_safe("💬 Haven team: hello", "en", (word,))
    assert reveals(shown, (word,)) == []
    assert len(shown.split("\n\n")[0]) >= PREVIEW_CHARS


def test_neutral_texts_stay_as_they_are() -> None:
    for key in ("decoy.codeword", "decoy.weather", "decoy.ok", "discreet.noted"):
        for lang in LANGS:
            assert notification_safe(t(key, lang), lang) == t(key, lang)


def test_the_word_list_catches_the_escalation_as_it_was() -> None:
    assert reveals("상담원에게 알렸어요 (#3). 불법 감금 신고")
    assert reveals("tiger lily · 💬 Haven 상담원: hi", ("tiger lily",))
    assert reveals("🆘 위험해요")


# ---------------------------------------------------------------------------- the parts


@pytest_asyncio.fixture
async def parts(tmp_path: Path) -> AsyncIterator[Parts]:
    built = await build_parts(tmp_path)
    yield built
    await built.store.close()


async def drain(parts: Parts) -> list[OutboxItem]:
    """Deliver until nothing is due (each pass sends one message per chat)."""
    delivered: list[OutboxItem] = []
    while batch := await parts.deliver():
        delivered += batch
    return delivered


def clean_preview(text: str, *secrets: str) -> bool:
    return reveals(text, secrets) == []


DISTRESS = {"ko": "여기 갇혀 있어요 도와주세요", "en": "help me please, they locked me in"}


@pytest.mark.parametrize("lang", LANGS)
async def test_distress_replies_and_the_first_staff_reply_pass_the_rule(
    parts: Parts, lang: str
) -> None:
    await parts.store.remember_user(USER, USER, lang, fixed=True)
    await parts.conversation.on_command(
        message(f"/safeword {SAFETY_WORD}"), "safeword", SAFETY_WORD
    )
    replies = await parts.conversation.on_text(message(DISTRESS[lang]))
    assert replies
    assert all(clean_preview(r.text, SAFETY_WORD) for r in replies)
    assert "#1" in replies[0].text, "the substance is still there, below the opening"
    assert not any(r.keyboard for r in replies), "no SOS keyboard under an open case"
    assert replies[0].remove_keyboard
    assert any(t("discreet.safety_note", lang) in r.text for r in replies)
    await drain(parts)
    await parts.desk.cases.claim(STAFF, "Ann", 1)
    await parts.desk.words.reply(STAFF, 1, "We are with you.")
    await drain(parts)
    assert all(clean_preview(x, SAFETY_WORD) for x in parts.to(USER)), "every queued message"
    [words] = [x for x in parts.to(USER) if "We are with you" in x]
    assert clean_preview(words, SAFETY_WORD)
    assert words.rstrip().endswith(SAFETY_WORD), "the safety word closes the message"


async def test_the_safety_note_is_sent_once_per_case(parts: Parts) -> None:
    note = t("discreet.safety_note", "en")
    first = await parts.conversation.on_text(message("help me please, they locked me in"))
    again = await parts.conversation.on_text(message("they took my passport"))
    assert sum(note in r.text for r in first) == 1
    assert not any(note in r.text for r in again)
    await parts.desk.cases.claim(STAFF, "Ann", 1)
    await drain(parts)
    assert not any(note in x for x in parts.to(USER)), "claiming sends no second note"


async def test_a_discreet_case_gets_its_note_when_staff_claim_it(parts: Parts) -> None:
    await parts.conversation.on_command(message(), "weather")
    await parts.desk.cases.claim(STAFF, "Ann", 1)
    await drain(parts)
    notes = [x for x in parts.to(USER) if t("discreet.safety_note", "en") in x]
    assert len(notes) == 1
    assert clean_preview(notes[0])


@pytest.mark.parametrize("lang", LANGS)
async def test_commands_name_nothing_after_a_discreet_case(parts: Parts, lang: str) -> None:
    await parts.store.remember_user(USER, USER, lang, fixed=True)
    await parts.conversation.on_command(
        message(f"/safeword {SAFETY_WORD}"), "safeword", SAFETY_WORD
    )
    await parts.conversation.on_command(
        message(f"/codeword {CODE_PHRASE}"), "codeword", CODE_PHRASE
    )
    decoy = await parts.conversation.on_text(message(CODE_PHRASE))
    assert decoy[0].text == t("decoy.codeword", lang)
    for number, command in enumerate(
        (
            "forget",
            "privacy",
            "help",
            "start",
            "language",
            "checkin",
            "safeword",
            "nonsense",
            "sos",
            "rescue",
        )
    ):
        answers = await parts.conversation.on_command(
            message(f"/{command}", message_id=500 + number), command
        )
        said = "\n".join(a.text for a in answers).casefold()
        named = [w for w in NAMES_THE_CASE if w.casefold() in said]
        assert named == [], f"/{command} ({lang}) names {named}: {said}"
        assert all(a.delete_in is not None and a.delete_in <= 60 for a in answers if not a.toast)
    assert (await parts.store.active_case(USER)) is not None, "/forget keeps the open case"


async def test_privacy_says_what_stays_on_the_phone(parts: Parts) -> None:
    [answer] = await parts.conversation.on_command(message(), "privacy")
    assert "What stays on this phone" in answer.text
    assert "60 seconds" in answer.text
    assert "10 minutes" in answer.text


async def test_help_leads_to_the_discreet_features(parts: Parts) -> None:
    [answer] = await parts.conversation.on_command(message(), "help")
    assert answer.text.rstrip().endswith(t("discreet.tips_line", "en"))
    assert is_neutral(t("discreet.tips_line", "en"))
    assert is_neutral(t("discreet.tips_line", "ko"))
    [tips] = await parts.conversation.on_command(message(), "tips")
    for command in ("/codeword", "/weather", "/safeword", "/keys"):
        assert command in tips.text


async def test_the_keyboard_under_a_case_comes_only_when_asked(parts: Parts) -> None:
    replies = await parts.conversation.on_text(message("help me please, they locked me in"))
    assert not any(r.keyboard for r in replies)
    joined = await parts.conversation.on_text(message("please hurry"))
    assert not any(r.keyboard for r in joined)
    [keys] = await parts.conversation.on_command(message(), "keys")
    assert keys.keyboard, "asked for: shown"
    sos = await parts.conversation.on_command(message(), "sos")
    assert not any(r.keyboard for r in sos)
    notices = [x.text for x in await drain(parts) if x.chat_id == STAFF_CHAT]
    assert any("/sos" in x for x in notices), "/sos still reaches the case"


async def test_a_rescue_photo_leaves_the_chat_only_once_staff_have_it(parts: Parts) -> None:
    start = await parts.conversation.on_command(message(), "rescue")
    await parts.store.log_messages(USER, [(700, None)], "bot")  # the question, as sent
    assert start[-1].buttons, "the flow's question keeps its buttons"
    await parts.conversation.on_button(message(), "f:KH")
    await parts.conversation.on_button(message(), "f:__skip")  # no location
    await parts.store.log_messages(USER, [(701, None)], "bot")  # "send a photo of the building"
    photo = message(kind="photo", message_id=702)
    replies = await parts.conversation.on_media(photo)
    assert replies[0].text.endswith(t("discreet.media_received", "en"))
    assert clean_preview(replies[0].text)
    due = await parts.store.due_deletions(DELETABLE_FOR)
    assert 702 not in due.get(USER, []), "not before staff have the copy"
    assert 701 in due.get(USER, []), "the question that asked for it goes"
    delivered = await drain(parts)
    assert any(x.kind == OutboxKind.RELAY_COPY and x.copy_message_id == 702 for x in delivered)
    due = await parts.store.due_deletions(DELETABLE_FOR)
    assert 702 in due.get(USER, []), "deleted once the copy is accepted"


async def test_media_in_a_standard_case_is_deleted_after_the_copy(parts: Parts) -> None:
    await parts.conversation.on_text(message("help me please, they locked me in"))
    [note] = await parts.conversation.on_media(message(kind="document", message_id=800))
    assert t("discreet.media_received", "en") in note.text
    await drain(parts)
    due = await parts.store.due_deletions(DELETABLE_FOR)
    assert 800 in due.get(USER, [])


async def test_consent_is_asked_with_buttons_recorded_and_shown(parts: Parts) -> None:
    await parts.conversation.on_text(message("help me please, they locked me in"))
    refused = await parts.desk.drafts.send_canned(STAFF, 1, "embassy")
    assert "/consent 1 embassy" in refused
    await drain(parts)
    assert not any("contacting the embassy" in x for x in parts.to(USER))
    asked = await parts.desk.consents.ask(STAFF, 1, Party.EMBASSY)
    assert "#1" in asked
    delivered = [x for x in await drain(parts) if x.chat_id == USER]
    [question] = [x for x in delivered if x.buttons]
    assert clean_preview(question.text)
    assert [b.data for b in question.buttons] == ["cs:embassy:y", "cs:embassy:n"]
    assert await parts.store.consents(1) == {Party.EMBASSY: Consent.ASKED}
    assert "Consent: embassy asked" in await parts.desk.views.show_case(STAFF, 1)
    thanks = await parts.conversation.on_button(message(), "cs:embassy:y")
    assert t("discreet.consent_thanks", "en") in thanks[0].text
    assert await parts.store.consents(1) == {Party.EMBASSY: Consent.YES}
    assert "Consent: embassy yes" in await parts.desk.views.show_case(STAFF, 1)
    sent = await parts.desk.drafts.send_canned(STAFF, 1, "embassy")
    assert "/consent" not in sent
    await drain(parts)
    assert any("contacting the embassy" in x for x in parts.to(USER))


async def test_staff_may_act_without_consent_and_the_person_is_told(parts: Parts) -> None:
    await parts.conversation.on_text(message("help me please, they locked me in"))
    await parts.desk.consents.ask(STAFF, 1, Party.POLICE, without=True)
    await drain(parts)
    told = [x for x in parts.to(USER) if "even without your agreement" in x]
    assert told
    assert clean_preview(told[0])
    assert await parts.store.consents(1) == {Party.POLICE: Consent.WITHOUT}


async def test_a_checkin_question_under_an_open_case_is_rendered(parts: Parts) -> None:
    await parts.conversation.on_text(message("help me please, they locked me in"))
    await parts.store.enqueue(Outgoing(USER, OutboxKind.CHECKIN, t("flow.checkin_prompt", "en")))
    await drain(parts)
    [question] = [x for x in parts.to(USER) if t("flow.checkin_prompt", "en") in x]
    assert question.startswith(opening("en")) or is_neutral(t("flow.checkin_prompt", "en"))
    assert clean_preview(question)


def test_replies_without_a_case_are_untouched() -> None:
    reply = Reply("Hi, I'm Haven.")
    assert notification_safe(reply.text, "en") == reply.text


def test_split_parts_leave_room_for_the_opening() -> None:
    long = "word " * 2000
    rows = parts_of(Outgoing(USER, OutboxKind.FROM_STAFF, long))
    for lang in LANGS:
        assert utf16_len(f"{opening(lang)}\n\n") < OPENING_ROOM
        assert all(utf16_len(notification_safe(r.text, lang)) <= MAX_TEXT for r in rows)


async def test_keys_off_hides_the_keyboard(parts: Parts) -> None:
    await parts.conversation.on_text(message("help me please, they locked me in"))
    [off] = await parts.conversation.on_command(message(), "keys", "off")
    assert off.remove_keyboard
    assert not off.keyboard


async def test_a_long_reply_opens_neutrally_in_every_part(parts: Parts) -> None:
    await parts.conversation.on_text(message("help me please, they locked me in"))
    long = Reply("help " * 1500, buttons=(ReplyButton("OK", "x"),))
    watched = await parts.conversation.discretion.replies(message(), [long])
    assert len(watched) >= 2
    assert all(clean_preview(r.text) for r in watched)
    assert all(utf16_len(r.text) <= MAX_TEXT for r in watched)
    assert watched[-1].buttons
    assert not watched[0].buttons
