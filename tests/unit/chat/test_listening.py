"""Issue 15 in the fast tier: flows that keep a case, captions, digressions, other languages
and direct answers, on a real store with no engine (the safety net and the words alone)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from bot.chat.flowrunner import FLOW_BUTTON
from bot.chat.flows import FlowName
from tests.parts import USER, Parts, body, build_parts, message


@pytest_asyncio.fixture(loop_scope="session")
async def parts(tmp_path: Path) -> AsyncIterator[Parts]:
    """Freshly wired parts on their own database file."""
    built = await build_parts(tmp_path)
    yield built
    await built.store.close()


async def test_the_rescue_flow_alerts_at_its_first_step_and_relays_each_answer(
    parts: Parts,
) -> None:
    started = await parts.conversation.on_command(message(), "rescue")
    assert any("#1" in r.text for r in started)
    assert [item.kind for item in await parts.deliver()] == ["alert"]
    await parts.conversation.on_button(message(), FLOW_BUTTON + "KH")
    relayed = await parts.deliver()
    assert any("country: Cambodia" in item.text for item in relayed)
    cry = await parts.conversation.on_text(message("they are beating me now, help"))
    assert "#1" in cry[0].text
    assert cry[-1].buttons, "the same step is asked again"
    later = await parts.deliver()
    assert [item.kind for item in later] == ["relay"]
    assert await parts.store.flow(USER) is not None


async def test_a_caption_asking_for_help_opens_the_case_and_sends_the_photo(
    parts: Parts,
) -> None:
    photo = message("please help me, they locked me in", kind="photo", message_id=7)
    replies = await parts.conversation.on_media(photo)
    assert "#1" in replies[0].text
    kinds: list[str] = []
    for _ in range(3):
        kinds += [str(item.kind) for item in await parts.deliver()]
    assert kinds.count("alert") == 1
    assert "relay_copy" in kinds


async def test_a_caption_without_distress_is_answered_as_text(parts: Parts) -> None:
    photo = message("what is this?", kind="photo", message_id=8)
    replies = await parts.conversation.on_media(photo)
    assert replies
    assert await parts.store.active_case(USER) is None


async def test_thanks_inside_a_flow_is_answered_and_the_flow_resumes(parts: Parts) -> None:
    await parts.flows.start(message(), "en", FlowName.CHECKIN)
    replies = await parts.conversation.on_text(message("thank you so much"))
    assert replies[0].text == "You're welcome."
    assert replies[-1].text.startswith("Back to where we were:")
    assert "Where are you going?" in replies[-1].text
    state = await parts.store.flow(USER)
    assert state is not None
    assert state[1] == 0


async def test_a_tagalog_sos_is_named_for_staff_and_answered_in_tagalog_first(
    parts: Parts,
) -> None:
    replies = await parts.conversation.on_text(message("tulong po, ikinulong nila kami"))
    assert body(replies[0].text).startswith("Naabisuhan na namin"), "first, after the opening"
    assert "+82-2-3210-0404" in replies[0].text
    [alert] = await parts.deliver()
    assert "Tagalog — interpreter needed" in alert.text


async def test_a_practice_question_gets_its_flag_and_the_offer_of_the_check(
    parts: Parts,
) -> None:
    replies = await parts.conversation.on_text(
        message("they want to keep my passport for the visa, is that fine?")
    )
    assert "⚠️" in replies[0].text
    assert "source:" in replies[0].text
    titles = [b.title for b in replies[0].buttons]
    assert "Check the rest (8 questions)" in titles
    assert await parts.deliver() == []
