"""Button presses, routed by the chat they were pressed in: buttons are bound to their chat.

In the staff group only staff buttons count, pressed by staff; in a private chat only the
presser's own chat with the bot; anywhere else (another group, an inline message) nothing.
Callback data can be forged, so none of it is believed about where it came from.
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Chat, Message, Update, User
from telegram.error import TelegramError

from bot.core.replies import Reply
from bot.core.texts import t
from bot.desk.staffinput import Button, ButtonAction, parse_button
from bot.store import CaseTag, CopyKind
from bot.telegram.context import HavenContext
from bot.telegram.private import on_private_button, user_language
from bot.telegram.render import reply_markup
from bot.telegram.staff import refusals

__all__ = ["on_button"]

log = logging.getLogger(__name__)

CASE_BUTTONS = (ButtonAction.CLAIM, ButtonAction.RESOLVE, ButtonAction.CANNED)
TOAST_CHARS = 190
"""Telegram shows at most 200 characters of a button's answer."""


async def on_button(update: Update, context: HavenContext) -> None:
    """Route a press to the staff desk, the person's conversation, or nowhere."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    desk = context.haven.desk
    chat = query.message.chat if query.message is not None else None
    if chat is not None and chat.id == desk.access.chat_id:
        await _staff_button(query, user, context)
        return
    if chat is not None and chat.type == Chat.PRIVATE and chat.id == user.id:
        if parse_button(query.data or "") is not None:
            await desk.access.refuse(user.id, "button", None, "staff_button_elsewhere")
            await query.answer(t("button_expired", await user_language(context, user)))
            return
        await on_private_button(update, query, chat, context)
        return
    # The audit keeps short codes only: which chat it was is in the warning log.
    where = f"chat {chat.id}" if chat is not None else "an inline message"
    log.warning("button pressed in %s by user %s refused", where, user.id)
    await desk.access.refuse(user.id, "button", None, "button_in_other_chat")
    await query.answer(t("button_expired", await user_language(context, user)))


async def _staff_button(query: CallbackQuery, user: User, context: HavenContext) -> None:
    """A button in the staff group: Claim / Resolve on an alert, Send / Keep / Cancel on a draft."""
    button = parse_button(query.data or "")
    if button is None:
        await context.haven.desk.access.refuse(user.id, "button", None, "not_staff_button")
        await query.answer(t("button_expired", context.desk_language))
        return
    answer = await _press(context, query, user, button)
    if answer is not None:
        await query.answer(answer.text[:TOAST_CHARS], show_alert=answer.toast)


@refusals(tell_strangers=True)
async def _press(
    context: HavenContext, query: CallbackQuery, user: User, button: Button
) -> Reply | None:
    """What a staff button does; a refusal comes back as an alert for the presser alone."""
    if button.case_id is not None and button.action in CASE_BUTTONS:
        return Reply(await _case_button(query, user, context, button))
    text, settled = await context.haven.desk.drafts.settle_draft(
        user.id, user.full_name, button.action, button.token
    )
    if settled:
        await _close_draft(query, text)
    return Reply(text)


async def _case_button(
    query: CallbackQuery, user: User, context: HavenContext, button: Button
) -> str:
    """Claim; Resolve, and a tag (on the "resolved" notice); Canned (the list, then one).

    A list or a preview is posted under the pressed message (in its topic); a picked tag
    replaces the buttons it was picked from. Returns the short answer for the presser.
    """
    desk = context.haven.desk
    case_id = button.case_id
    assert case_id is not None
    if button.action == ButtonAction.CLAIM:
        return await desk.cases.claim(user.id, user.full_name, case_id)
    if button.action == ButtonAction.RESOLVE and button.key:
        outcome = await desk.cases.tag(user.id, user.full_name, case_id, CaseTag(button.key))
        await _close_draft(query, outcome)
        return outcome
    if button.action == ButtonAction.RESOLVE:
        return await desk.cases.resolve(user.id, user.full_name, case_id)
    if button.key:
        shown = await desk.drafts.canned_preview(user.id, case_id, button.key)
    else:
        shown = await desk.drafts.canned_picker(user.id, case_id)
    message = query.message
    if isinstance(message, Message):
        posted = await message.reply_text(shown.text, reply_markup=reply_markup(shown))
        await context.haven.store.link_messages(
            case_id, posted.chat_id, [(posted.message_id, CopyKind.TEXT)]
        )
    return shown.text


async def _close_draft(query: CallbackQuery, outcome: str) -> None:
    """Replace a settled draft's buttons with what became of it, so nobody presses twice."""
    message = query.message
    if not isinstance(message, Message) or not message.text:
        return
    try:
        await query.edit_message_text(f"{message.text}\n\n{outcome}")
    except TelegramError as exc:
        log.warning("could not close a draft in the staff group: %s", exc)
