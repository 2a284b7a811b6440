"""The Telegram application factory: wiring only, so tests build the very same app."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from datetime import datetime, time, timedelta
from urllib.parse import urlparse

from telegram import Bot, BotCommand, Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.core.errors import ConfigError, MembershipUnknown
from bot.core.texts import t
from bot.roster import GroupMember, Lookup, MemberStatus, StaffRoster
from bot.runtime import Haven, open_haven
from bot.settings import Settings
from bot.staffinput import StaffCommand
from bot.telegram import handlers
from bot.telegram.delivery import TelegramDelivery
from bot.telegram.processor import PerUserUpdateProcessor
from bot.telegram.ratelimit import CaseFirstRateLimiter

log = logging.getLogger(__name__)

# /weather, /codeword, /safeword and /rescue work but stay out of the menu: a watched phone
# should show nothing unusual.
MENU_COMMANDS = (
    "start", "help", "contacts", "verify", "sos", "checkin", "language", "privacy", "forget", "clear",
)  # fmt: skip
USER_COMMANDS = (*MENU_COMMANDS, "weather", "codeword", "safeword", "rescue")
# httpx writes a request's headers and body separately; with Nagle's algorithm the body can
# wait for the server's delayed ACK, adding up to 40 ms to every reply.
NO_DELAY = ((socket.IPPROTO_TCP, socket.TCP_NODELAY, 1),)
# A pause before the next getUpdates lets the messages just fetched reach the engine first;
# re-polling at once put about a millisecond of request building in front of every message.
POLL_PAUSE = 0.002
STAFF_COMMANDS = tuple(command.value for command in StaffCommand)
HEALTH_WATCH_SECONDS = 15.0
METRICS_SECONDS = 15.0
"""How often the numbers on the metrics endpoint are read again from the store."""


def build_application(settings: Settings) -> Application:
    """Build the bot: handlers, ordered per-user processing, rate limiting, start-up."""
    settings.check_telegram()
    if settings.telegram_token is None or settings.staff_chat_id is None:
        raise ConfigError("TELEGRAM_BOT_TOKEN and STAFF_CHAT_ID are required for Telegram")
    application = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .base_url(settings.telegram_base_url)
        .socket_options(NO_DELAY)
        .get_updates_socket_options(NO_DELAY)
        .rate_limiter(CaseFirstRateLimiter(max_retries=3))
        .concurrent_updates(PerUserUpdateProcessor())
        .post_init(_start)
        .post_shutdown(_stop)
        .build()
    )
    application.bot_data["settings"] = settings
    add_handlers(application, settings.staff_chat_id)
    return application


def add_handlers(application: Application, staff_chat: int) -> None:
    """Private chats go to the conversation, the staff group to the desk, others nowhere.

    Buttons are routed by the chat they were pressed in (``handlers.on_button``), since a
    CallbackQueryHandler cannot filter by chat. Membership changes in the staff group reach
    the roster at once.
    """
    private = filters.ChatType.PRIVATE
    staff = filters.Chat(chat_id=staff_chat)
    application.bot_data["staff_filter"] = staff  # follows the group if it moves
    new = filters.UpdateType.MESSAGE
    edited = filters.UpdateType.EDITED_MESSAGE
    media = ~filters.TEXT & ~filters.StatusUpdate.ALL
    application.add_handlers(
        [
            ChatMemberHandler(
                handlers.on_staff_member, ChatMemberHandler.CHAT_MEMBER, chat_id=staff_chat
            ),
            ChatMemberHandler(
                handlers.on_bot_member, ChatMemberHandler.MY_CHAT_MEMBER, chat_id=staff_chat
            ),
            MessageHandler(staff & filters.StatusUpdate.LEFT_CHAT_MEMBER, handlers.on_member_left),
            CommandHandler(list(STAFF_COMMANDS), handlers.on_staff_command, staff & new),
            MessageHandler(staff & filters.StatusUpdate.MIGRATE, handlers.on_staff_migrated),
            MessageHandler(staff & new & filters.TEXT & ~filters.COMMAND, handlers.on_staff_text),
            MessageHandler(staff & new & media & filters.IS_TOPIC_MESSAGE, handlers.on_staff_media),
            CommandHandler(list(USER_COMMANDS), handlers.on_command, private & new),
            MessageHandler(private & new & filters.TEXT & ~filters.COMMAND, handlers.on_text),
            MessageHandler(private & new & filters.COMMAND, handlers.on_command),
            MessageHandler(private & edited, handlers.on_edited),
            MessageHandler(private & new & media, handlers.on_media),
            CallbackQueryHandler(handlers.on_button),
        ]
    )
    application.add_error_handler(handlers.on_error)


async def _start(application: Application) -> None:
    settings: Settings = application.bot_data["settings"]
    bot = application.bot
    delivery = TelegramDelivery(bot)

    def staff_chat() -> int:
        return int(application.bot_data["haven"].desk.chat_id)

    roster = StaffRoster(settings.staff_user_ids, staff_lookup(bot, staff_chat))
    limiter = bot.rate_limiter
    room = limiter.room if isinstance(limiter, CaseFirstRateLimiter) else None
    haven = await open_haven(
        settings,
        delivery.send,
        roster,
        delivery.delete,
        delivery.edit,
        forum=delivery,
        room=room,
    )
    application.bot_data["haven"] = haven
    _follow_staff_group(application, haven)
    roster.trust_updates(await _bot_is_admin(bot, haven.desk.chat_id))
    await haven.topics.check()
    await _register_commands(application)
    if application.job_queue is not None:
        interval = timedelta(minutes=settings.realert_minutes)
        application.job_queue.run_repeating(
            _climb, interval=min(30.0, interval.total_seconds() / 2), first=1.0
        )
        application.job_queue.run_repeating(_tick, interval=settings.tick_seconds, first=1.0)
        application.job_queue.run_repeating(
            _retain, interval=settings.retention_check_minutes * 60, first=1.0
        )
        watch = min(HEALTH_WATCH_SECONDS, settings.alert_alarm_minutes * 60 / 4)
        application.job_queue.run_repeating(_watch, interval=watch, first=watch)
        hour, minute = (int(x) for x in settings.stats_daily_at.split(":"))
        application.job_queue.run_daily(
            _daily, time(hour, minute, tzinfo=settings.staff_hours.zone)
        )
        if haven.metrics is not None:
            application.job_queue.run_repeating(_measure, interval=METRICS_SECONDS, first=0.5)


def staff_lookup(bot: Bot, staff_chat: Callable[[], int]) -> Lookup:
    """Ask Telegram about a user in the staff group (wherever it is now); its errors become
    MembershipUnknown."""

    async def lookup(user_id: int) -> GroupMember:
        try:
            member = await bot.get_chat_member(staff_chat(), user_id)
        except TelegramError as exc:
            raise MembershipUnknown(f"getChatMember failed: {exc}") from exc
        try:
            status = MemberStatus(member.status)
        except ValueError as exc:
            raise MembershipUnknown(f"unknown member status {member.status!r}") from exc
        return GroupMember(user_id, member.user.full_name, status)

    return lookup


async def _bot_is_admin(bot: Bot, staff_chat: int) -> bool:
    """Whether Telegram will tell the bot about the staff group's membership changes."""
    try:
        status = (await bot.get_chat_member(staff_chat, bot.id)).status
    except TelegramError as exc:
        log.warning("could not check the bot's own standing in the staff group: %s", exc)
        return False
    return status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


def _follow_staff_group(application: Application, haven: Haven) -> None:
    """Staff commands come from the group's current id, also after it became a supergroup."""
    staff: filters.Chat = application.bot_data["staff_filter"]
    staff.add_chat_ids(haven.desk.chat_id)

    def moved(old: int, new: int) -> None:
        staff.add_chat_ids(new)
        staff.remove_chat_ids(old)

    haven.alarms.on_move(moved)


async def _climb(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The escalation ladder: re-alerts, then supervisors, for cases nobody claimed."""
    await handlers.haven(context).ladder.climb()


async def _daily(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The daily summary in the staff group (General); on Mondays the weekly chart too."""
    haven = handlers.haven(context)
    chat, lang = haven.desk.chat_id, haven.settings.staff_language
    try:
        await context.bot.send_message(chat, await haven.stats.summary("staff.stats_title_daily"))
        if datetime.now(haven.settings.staff_hours.zone).weekday() == 0:
            png = await haven.stats.week_chart()
            await context.bot.send_photo(chat, png, caption=t("staff.chart_caption", lang))
    except TelegramError as exc:
        log.warning("the daily summary was not posted: %s", exc)


async def _measure(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Refresh the numbers the metrics endpoint serves."""
    metrics = handlers.haven(context).metrics
    if metrics is not None:
        await metrics.refresh()


async def _tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Delete what is due and ask the check-in questions that are due."""
    haven = handlers.haven(context)
    await haven.intake.retry_unrecorded()
    await haven.topics.record_made()
    await haven.janitor.purge()
    await haven.checkins.tick()


async def _retain(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Erase what has outlived its retention, and its copies in the staff group."""
    await handlers.haven(context).retention.run()


async def _watch(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Alarm staff about alerts that have waited too long in the queue."""
    await handlers.haven(context).health.watch()


async def _register_commands(application: Application) -> None:
    for language in ("en", "ko"):
        commands = [BotCommand(c, t(f"command.{c}", language)) for c in MENU_COMMANDS]
        try:
            await application.bot.set_my_commands(
                commands, language_code=None if language == "en" else language
            )
        except TelegramError:
            log.warning("could not register the %s command list", language)


async def _stop(application: Application) -> None:
    haven = application.bot_data.get("haven")
    if haven is not None:
        await haven.close()


async def start_serving(
    application: Application, settings: Settings, poll_timeout: int = 10
) -> None:
    """Initialise, open Haven's parts, and start polling (or the webhook server)."""
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    updater = application.updater
    if updater is None:
        raise ConfigError("the application has no updater")
    if settings.webhook_url:
        await updater.start_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=urlparse(settings.webhook_url).path.lstrip("/"),
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        await updater.start_polling(
            poll_interval=POLL_PAUSE, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
        )


async def stop_serving(application: Application) -> None:
    """Stop receiving, finish what is running, and close Haven's parts."""
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)
