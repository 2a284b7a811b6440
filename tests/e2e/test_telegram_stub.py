"""The Bot API stand-in answers a real PTB Bot the way Telegram does."""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

import pytest
import pytest_asyncio
from telegram import (
    Bot,
    BotCommand,
    ChatMember,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, ChatMigrated, Conflict, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from tests.telegram_stub import BotApiStub

USER = 42
GROUP = -100123


@pytest.fixture
def api() -> Iterator[BotApiStub]:
    """A started stand-in with one known group."""
    stub = BotApiStub()
    stub.start()
    stub.add_chat(GROUP)
    yield stub
    stub.stop()


@pytest_asyncio.fixture(loop_scope="session")
async def bot(api: BotApiStub) -> AsyncIterator[Bot]:
    """A real PTB Bot pointed at the stand-in."""
    async with Bot(api.token, base_url=api.base_url) as client:
        yield client


def retry_after(error: RetryAfter) -> float:
    """The wait as seconds, whichever type PTB reports it as."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def test_send_edit_delete(api: BotApiStub, bot: Bot) -> None:
    first = api.push_text(USER, "hello")["message"]["message_id"]
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="y")]])
    sent = await bot.send_message(USER, "question?", reply_markup=markup)
    assert sent.message_id == first + 1
    assert [m["text"] for m in api.sent(chat_id=USER)] == ["question?"]
    assert [m["text"] for m in api.messages(chat_id=USER)] == ["hello", "question?"]
    assert api.sent(chat_id=USER)[0]["reply_markup"]["inline_keyboard"][0][0]["text"] == "Yes"
    await bot.edit_message_text("answered", USER, sent.message_id)
    assert api.sent(chat_id=USER)[0]["text"] == "answered"
    assert "reply_markup" not in api.sent(chat_id=USER)[0]
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_text("answered", USER, sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)can't be edited"):
        await bot.edit_message_text("no", USER, first)
    assert await bot.delete_message(USER, first)
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(USER, first)
    assert api.deleted(USER) == [first]
    assert [m["message_id"] for m in api.visible(USER)] == [sent.message_id]
    assert len(api.sent(chat_id=USER)) == 1


async def test_validation_like_telegram(api: BotApiStub, bot: Bot) -> None:
    api.push_text(USER, "hi")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(USER, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(USER, "   ")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(777, "who?")
    bad = InlineKeyboardMarkup([[InlineKeyboardButton("b", callback_data="x" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(USER, "b", reply_markup=bad)
    with pytest.raises(BadRequest, match=r"(?i)too many"):
        await bot.delete_messages(USER, list(range(1, 102)))
    api.block(USER)
    with pytest.raises(Forbidden, match=r"(?i)blocked"):
        await bot.send_message(USER, "still there?")
    api.block(USER, blocked=False)
    assert await bot.send_message(USER, "x" * 4096)
    assert len(api.calls("sendMessage")) == 6


async def test_injected_failures(api: BotApiStub, bot: Bot) -> None:
    api.fail("sendMessage", times=1, error_code=429, retry_after=3, chat_id=GROUP)
    with pytest.raises(RetryAfter) as limited:
        await bot.send_message(GROUP, "alert")
    assert retry_after(limited.value) == 3
    api.fail("sendMessage", times=2, error_code=502, chat_id=GROUP)
    for _ in range(2):
        with pytest.raises(NetworkError, match=r"(?i)Bad Gateway"):
            await bot.send_message(GROUP, "alert")
    api.fail("sendMessage", times=1, drop=True)
    with pytest.raises(NetworkError):
        await bot.send_message(GROUP, "alert")
    api.fail("sendMessage", times=5, error_code=500, chat_id=GROUP)
    api.fail("sendMessage", times=0, chat_id=GROUP)
    await bot.send_message(GROUP, "alert")
    assert [m["text"] for m in api.sent(chat_id=GROUP)] == ["alert"]
    assert len([p for _, p in api.calls("sendMessage") if p["chat_id"] == GROUP]) == 5


async def test_long_poll_wakes_on_push_and_offset_confirms(api: BotApiStub, bot: Bot) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    api.push_text(USER, "/start now", language_code="ko")
    [update] = await poll
    assert loop.time() - started < 2
    assert update.message is not None
    assert update.message.text == "/start now"
    assert update.message.from_user is not None
    assert update.message.from_user.language_code == "ko"
    assert update.message.entities[0].type == "bot_command"
    assert (await bot.get_updates(timeout=0))[0].update_id == update.update_id
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()
    assert api.pending_updates() == []


async def test_newer_poll_ends_the_older_one(api: BotApiStub, bot: Bot) -> None:
    older = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    async with Bot(api.token, base_url=api.base_url) as other:
        assert await other.get_updates(timeout=0) == ()
    with pytest.raises(Conflict):
        await older


async def test_callback_reply_keyboard_copy_and_members(api: BotApiStub, bot: Bot) -> None:
    api.push_text(USER, "hi")
    keyboard = ReplyKeyboardMarkup([[KeyboardButton("📍", request_location=True)]])
    sent = await bot.send_message(USER, "where?", reply_markup=keyboard)
    assert sent.reply_markup is None
    assert api.sent(chat_id=USER)[-1]["reply_markup"]["keyboard"][0][0]["request_location"]
    location = api.push_location(USER, 10.5, 103.5)["message"]["message_id"]
    copied = await bot.copy_message(GROUP, USER, location)
    assert api.sent(chat_id=GROUP)[0]["location"]["latitude"] == 10.5
    assert api.sent(chat_id=GROUP)[0]["text"] is None
    assert copied.message_id == api.sent(chat_id=GROUP)[0]["message_id"]
    update = Update.de_json(api.push_callback(USER, sent.message_id, "go"), bot)
    assert update.callback_query is not None
    assert update.callback_query.data == "go"
    assert await bot.answer_callback_query(update.callback_query.id, "ok")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(update.callback_query.id)
    for status in ("creator", "administrator", "member", "restricted", "left", "kicked"):
        api.set_member(GROUP, 7, status)
        assert (await bot.get_chat_member(GROUP, 7)).status == status
    assert (await bot.get_chat_member(GROUP, 8)).status == ChatMember.LEFT


async def test_commands_by_language(api: BotApiStub, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("start", "Start")])
    await bot.set_my_commands([BotCommand("start", "시작")], language_code="ko")
    assert api.commands()[""] == [{"command": "start", "description": "Start"}]
    assert api.commands()["ko"][0]["description"] == "시작"
    with pytest.raises(BadRequest):
        await bot.set_my_commands([BotCommand("Bad-Name", "x")])


async def test_application_polls_and_answers(api: BotApiStub) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"echo: {update.effective_message.text}")

    app = Application.builder().token(api.token).base_url(api.base_url).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        api.push_text(USER, "one")
        api.push_text(USER, "hello team", chat_id=GROUP, chat_type="supergroup")
        await api.wait_for(lambda s: len(s.sent()) == 2, timeout=10)
        await app.updater.stop()
        await app.stop()
    assert api.sent(chat_id=USER)[0]["text"] == "echo: one"
    assert api.sent(chat_id=GROUP)[0]["reply_to_message"]["text"] == "hello team"
    assert api.pending_updates() == []


async def test_wait_for_says_what_it_waited_for(api: BotApiStub) -> None:
    with pytest.raises(AssertionError, match=r"(?i)never_sent"):
        await api.wait_for(lambda s: "never_sent" in str(s.sent()), timeout=0.05)


async def test_uploads_and_locations(api: BotApiStub, bot: Bot) -> None:
    api.push_text(USER, "hi")
    await bot.send_photo(USER, b"\x89PNG fake", caption="map")
    await bot.send_location(USER, 10.6104, 103.5296)
    photo, location = api.sent(chat_id=USER)
    assert photo["caption"] == "map"
    assert photo["photo"]
    assert location["location"] == {"latitude": 10.6104, "longitude": 103.5296}
    [(_, params)] = api.calls("sendPhoto")
    assert params["photo"]["size"] == len(b"\x89PNG fake")


async def test_membership_changes_reach_the_bot_as_telegram_sends_them(
    api: BotApiStub, bot: Bot
) -> None:
    api.set_member(GROUP, 7, "member")
    [left] = api.change_member(GROUP, 7, "left")
    assert Update.de_json(left, bot).effective_message.left_chat_member.id == 7  # type: ignore[union-attr]
    api.change_member(GROUP, 7, "member")
    assert api.change_member(GROUP, 7, "restricted") == [], "a bot that is no admin hears nothing"
    [promoted] = api.change_member(GROUP, api.bot_id, "administrator", by=1)
    mine = Update.de_json(promoted, bot).my_chat_member
    assert mine is not None
    assert (mine.old_chat_member.status, mine.new_chat_member.status) == ("member", "administrator")
    changes = api.change_member(GROUP, 7, "kicked", by=1)
    [member, service] = [Update.de_json(u, bot) for u in changes]
    assert member.chat_member is not None
    assert member.chat_member.from_user.id == 1
    assert (
        member.chat_member.old_chat_member.status,
        member.chat_member.new_chat_member.status,
    ) == (
        "restricted",
        "kicked",
    )
    assert service.effective_message is not None
    assert service.effective_message.left_chat_member is not None
    assert (await bot.get_chat_member(GROUP, 7)).status == ChatMember.BANNED


async def test_refusals_the_outbox_must_handle(api: BotApiStub, bot: Bot) -> None:
    photo = api.push_photo(USER)["message"]["message_id"]
    api.user_deletes(USER, photo)
    with pytest.raises(BadRequest, match=r"^Message to copy not found$"):
        await bot.copy_message(GROUP, USER, photo)
    api.migrate(GROUP, GROUP - 1)
    with pytest.raises(ChatMigrated) as moved:
        await bot.send_message(GROUP, "alert")
    assert moved.value.new_chat_id == GROUP - 1
    with pytest.raises(ChatMigrated):
        await bot.copy_message(GROUP, USER, photo)
    assert (await bot.send_message(GROUP - 1, "alert")).chat.type == "supergroup"
    services = [u["message"] for u in api.pending_updates() if "message" in u][-2:]
    assert services[0]["migrate_to_chat_id"] == GROUP - 1
    assert services[1]["migrate_from_chat_id"] == GROUP


FORUM = -100456


async def test_forum_topics_as_telegram_makes_them(api: BotApiStub, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)the chat is not a forum"):
        await bot.create_forum_topic(GROUP, "#1")
    api.make_forum(FORUM)
    with pytest.raises(BadRequest, match=r"(?i)not enough rights to create a topic"):
        await bot.create_forum_topic(FORUM, "#1")
    api.set_member(FORUM, api.bot_id, "administrator", can_manage_topics=False)
    with pytest.raises(BadRequest, match=r"(?i)not enough rights to create a topic"):
        await bot.create_forum_topic(FORUM, "#1")
    api.set_member(FORUM, api.bot_id, "administrator")
    member = await bot.get_chat_member(FORUM, api.bot_id)
    assert getattr(member, "can_manage_topics", None) is True
    assert (await bot.get_chat(FORUM)).is_forum
    with pytest.raises(BadRequest, match=r"(?i)TOPIC_TITLE_TOO_LONG"):
        await bot.create_forum_topic(FORUM, "x" * 129)
    with pytest.raises(BadRequest, match=r"(?i)TOPIC_ICON_COLOR_INVALID"):
        await bot.create_forum_topic(FORUM, "#1", icon_color=123)
    topic = await bot.create_forum_topic(FORUM, "#1 🔴 KO", icon_color=16478047)
    thread = topic.message_thread_id
    assert (topic.name, topic.icon_color) == ("#1 🔴 KO", 16478047)
    created = api.message(FORUM, thread)
    assert created is not None
    assert created["forum_topic_created"]["name"] == "#1 🔴 KO"
    sent = await bot.send_message(FORUM, "in the topic", message_thread_id=thread)
    assert (sent.message_thread_id, sent.is_topic_message) == (thread, True)
    general = await bot.send_message(FORUM, "in General")
    assert general.message_thread_id is None
    update = api.push_text(7, "from a member", chat_id=FORUM, message_thread_id=thread)
    incoming = update["message"]
    assert incoming["is_topic_message"]
    assert incoming["reply_to_message"]["message_id"] == thread
    answer = await bot.send_message(FORUM, "answer", reply_to_message_id=incoming["message_id"])
    assert answer.message_thread_id == thread, "a reply goes into the topic of its message"
    with pytest.raises(BadRequest, match=r"(?i)message thread not found"):
        await bot.send_message(FORUM, "nowhere", message_thread_id=thread + 1000)
    await bot.edit_forum_topic(FORUM, thread, name="#1 🟡 KO")
    with pytest.raises(BadRequest, match=r"(?i)TOPIC_NOT_MODIFIED"):
        await bot.edit_forum_topic(FORUM, thread, name="#1 🟡 KO")
    await bot.close_forum_topic(FORUM, thread)
    with pytest.raises(BadRequest, match=r"(?i)TOPIC_NOT_MODIFIED"):
        await bot.close_forum_topic(FORUM, thread)
    with pytest.raises(BadRequest, match=r"(?i)TOPIC_CLOSED"):
        await bot.send_message(FORUM, "closed", message_thread_id=thread)
    await bot.reopen_forum_topic(FORUM, thread)
    await bot.send_message(FORUM, "open again", message_thread_id=thread)
    assert api.topics(FORUM)[thread]["name"] == "#1 🟡 KO"
    kinds = [
        next(iter(k for k in m if k.startswith("forum_topic")), m.get("text"))
        for m in api.in_topic(FORUM, thread)
    ]
    assert kinds == [
        "forum_topic_created", "in the topic", "from a member", "answer", "forum_topic_edited",
        "forum_topic_closed", "forum_topic_reopened", "open again",
    ]  # fmt: skip
    assert [m["text"] for m in api.in_topic(FORUM, None)] == ["in General"]
    await bot.delete_forum_topic(FORUM, thread)
    assert set(api.deleted(FORUM)) >= {thread, sent.message_id}


async def test_about_twenty_messages_a_minute_into_one_group(bot: Bot) -> None:
    with BotApiStub(group_limit=(3, 0.6)) as api:
        api.add_chat(GROUP)
        async with Bot(api.token, base_url=api.base_url) as client:
            for i in range(3):
                await client.send_message(GROUP, f"m{i}")
            api.push_text(USER, "hi")
            await client.send_message(USER, "private chats are not counted")
            with pytest.raises(RetryAfter) as raised:
                await client.send_message(GROUP, "one too many")
            assert retry_after(raised.value) >= 1
            assert [method for method, _chat, _at in api.throttled(GROUP)] == ["sendMessage"]
            await asyncio.sleep(0.25)
            await client.send_message(GROUP, "the bucket drained by one")
            assert len(api.group_posts(GROUP)) == 4
    assert BotApiStub().group_limit == (20, 60.0)
