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
    TypeHandler,
    filters,
)

from bot.common.language import LANGUAGES
from bot.common.roster import GroupMember, Lookup, MemberStatus, StaffRoster
from bot.common.settings import Settings
from bot.core.errors import ConfigError, MembershipUnknown
from bot.core.texts import t
from bot.desk.staffinput import StaffCommand
from bot.runtime import Haven, open_haven
from bot.telegram import buttons, private, staff
from bot.telegram.context import HavenContext
from bot.telegram.delivery import TelegramDelivery
from bot.telegram.inbox import HANDLED_GROUP, DurableUpdates, InboxQueue
from bot.telegram.processor import PerUserUpdateProcessor
from bot.telegram.ratelimit import CaseFirstRateLimiter

__all__ = ["MENU_COMMANDS", "build_application", "start_serving", "stop_serving"]

log = logging.getLogger(__name__)

# /weather, /codeword, /safeword, /rescue and /keys work but stay out of the menu: a watched
# phone should show nothing unusual; /tips (in the menu, and a neutral line of /help) leads
# to them.
MENU_COMMANDS = (
    "start", "help", "contacts", "verify", "sos", "checkin", "language", "privacy", "forget", "clear",
    "tips",
)  # fmt: skip
USER_COMMANDS = (*MENU_COMMANDS, "weather", "codeword", "safeword", "rescue", "keys")
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
    inbox = DurableUpdates()
    application = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.base_file_url)
        .socket_options(NO_DELAY)
        .get_updates_socket_options(NO_DELAY)
        .rate_limiter(CaseFirstRateLimiter(max_retries=3))
        .update_queue(InboxQueue(inbox))
        .concurrent_updates(PerUserUpdateProcessor())
        .post_init(_start)
        .post_shutdown(_stop)
        .context_types(ContextTypes(context=HavenContext))
        .build()
    )
    application.bot_data["settings"] = settings
    application.bot_data["inbox"] = inbox
    add_handlers(application, settings.staff_chat_id)
    application.add_handler(TypeHandler(Update, _handled), group=HANDLED_GROUP)
    return application


def add_handlers(application: Application, staff_chat: int) -> None:
    """Private chats go to the conversation, the staff group to the desk, others nowhere.

    Buttons are routed by the chat they were pressed in (``buttons.on_button``), since a
    CallbackQueryHandler cannot filter by chat. Membership changes in the staff group reach
    the roster at once.
    """
    in_private = filters.ChatType.PRIVATE
    in_staff = filters.Chat(chat_id=staff_chat)
    application.bot_data["staff_filter"] = in_staff  # follows the group if it moves
    new = filters.UpdateType.MESSAGE
    edited = filters.UpdateType.EDITED_MESSAGE
    media = ~filters.TEXT & ~filters.StatusUpdate.ALL
    application.add_handlers(
        [
            ChatMemberHandler(
                staff.on_staff_member, ChatMemberHandler.CHAT_MEMBER, chat_id=staff_chat
            ),
            ChatMemberHandler(
                staff.on_bot_member, ChatMemberHandler.MY_CHAT_MEMBER, chat_id=staff_chat
            ),
            MessageHandler(in_staff & filters.StatusUpdate.LEFT_CHAT_MEMBER, staff.on_member_left),
            CommandHandler(list(STAFF_COMMANDS), staff.on_staff_command, in_staff & new),
            MessageHandler(in_staff & filters.StatusUpdate.MIGRATE, staff.on_staff_migrated),
            MessageHandler(in_staff & new & filters.TEXT & ~filters.COMMAND, staff.on_staff_text),
            MessageHandler(in_staff & new & media & filters.IS_TOPIC_MESSAGE, staff.on_staff_media),
            CommandHandler(list(USER_COMMANDS), private.on_command, in_private & new),
            MessageHandler(in_private & new & filters.TEXT & ~filters.COMMAND, private.on_text),
            MessageHandler(in_private & new & filters.COMMAND, private.on_command),
            MessageHandler(in_private & edited, private.on_edited),
            MessageHandler(in_private & new & media, private.on_media),
            CallbackQueryHandler(buttons.on_button),
        ]
    )
    application.add_error_handler(private.on_error)


async def _start(application: Application) -> None:
    settings: Settings = application.bot_data["settings"]
    bot = application.bot
    delivery = TelegramDelivery(bot)

    def staff_chat() -> int:
        return int(application.bot_data["haven"].desk.access.chat_id)

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
    inbox: DurableUpdates = application.bot_data["inbox"]
    for update in await inbox.open(haven.store, bot):  # what a crash left, before anything new
        application.update_queue.put_nowait(update)
    _follow_staff_group(application, haven)
    roster.trust_updates(await _bot_is_admin(bot, haven.desk.access.chat_id))
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
        if haven.backups is not None:
            application.job_queue.run_repeating(
                _back_up,
                interval=haven.backups.interval_seconds,
                first=haven.backups.first_delay(),
            )


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
    staff.add_chat_ids(haven.desk.access.chat_id)

    def moved(old: int, new: int) -> None:
        staff.add_chat_ids(new)
        staff.remove_chat_ids(old)

    haven.alarms.on_move(moved)


async def _climb(context: HavenContext) -> None:
    """The escalation ladder: re-alerts, then supervisors, for cases nobody claimed."""
    await context.haven.ladder.climb()


async def _daily(context: HavenContext) -> None:
    """The daily summary in the staff group (General); on Mondays the weekly chart too."""
    haven = context.haven
    chat, lang = haven.desk.access.chat_id, haven.settings.staff_language
    try:
        await context.bot.send_message(chat, await haven.stats.summary("staff.stats_title_daily"))
        if datetime.now(haven.settings.staff_hours.zone).weekday() == 0:
            png = await haven.stats.week_chart()
            await context.bot.send_photo(chat, png, caption=t("staff.chart_caption", lang))
    except TelegramError as exc:
        log.warning("the daily summary was not posted: %s", exc)
    if datetime.now(haven.settings.staff_hours.zone).weekday() == 0 and haven.health.stale:
        await haven.health.stale.weekly()  # once a week, with the weekly chart


async def _measure(context: HavenContext) -> None:
    """Refresh the numbers the metrics endpoint serves."""
    metrics = context.haven.metrics
    if metrics is not None:
        await metrics.refresh()


async def _handled(update: Update, context: HavenContext) -> None:
    """Every update, once Haven's handlers are done with it: it need not be kept."""
    await context.application.bot_data["inbox"].handled(update)


async def _back_up(context: HavenContext) -> None:
    """The scheduled backup (BACKUP_EVERY_HOURS); its failure is told to staff."""
    backups = context.haven.backups
    if backups is not None:
        await backups.run()


async def _tick(context: HavenContext) -> None:
    """Delete what is due and ask the check-in questions that are due."""
    haven = context.haven
    await haven.intake.retry_unrecorded()
    await haven.topics.record_made()
    await haven.janitor.purge()
    await haven.checkins.tick()


async def _retain(context: HavenContext) -> None:
    """Erase what has outlived its retention, and its copies in the staff group."""
    await context.haven.retention.run()


async def _watch(context: HavenContext) -> None:
    """Alarm staff about alerts that have waited too long in the queue."""
    await context.haven.health.watch()


async def _register_commands(application: Application) -> None:
    for language in LANGUAGES:
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
        await application.bot_data["inbox"].flush(everything=True)
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
