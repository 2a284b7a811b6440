"""Discreet help for people whose phones are checked: code phrases, decoys, leaving no trace.

A code phrase is stored only as a salted hash, so the store never reveals it. The decoy
answers say nothing about help and state no fact (no weather, no tracking number): only an
innocuous service notice. Bots may delete messages in private chats for 48 hours.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.core.errors import DeliveryError, DeliveryRefused
from bot.store import CaseStore

log = logging.getLogger(__name__)

DELETABLE_FOR = timedelta(hours=47)
DELETE_BATCH = 100
MIN_SECRET_LENGTH = 3
MAX_SECRET_LENGTH = 64
READ_THEN_DELETE_SECONDS = 600.0
SENSITIVE_DELETE_SECONDS = 60.0
SPACES = re.compile(r"\s+")

DECOYS = {
    "codeword": {
        "ko": "📦 배송 안내: 주문하신 상품의 배송 정보가 업데이트되었습니다.",
        "en": "📦 Delivery notice: the shipping status of your order has been updated.",
    },
    "weather": {
        "ko": "⛅ 날씨 정보를 불러오지 못했어요. 잠시 후 다시 시도해 주세요.",
        "en": "⛅ Weather data is temporarily unavailable. Please try again later.",
    },
    "ok": {"ko": "✅ 확인했어요.", "en": "✅ Noted."},
}

TEXTS = {
    "codeword_usage": {
        "ko": "안전할 때 비밀 문구를 정해 두세요: /codeword 문구\n나중에 그 문구만 보내면, 화면에는 평범한 알림만 보이고 상담원에게 조용히 알림이 가요. 설정 메시지는 곧 지워져요.",
        "en": "While you are safe, set a secret phrase: /codeword your phrase\nLater, sending only that phrase shows a harmless notice on screen and silently alerts our team. This setup message will be deleted shortly.",
    },
    "codeword_set": {
        "ko": "비밀 문구를 저장했어요. 이 대화는 1분 뒤 지워져요.",
        "en": "Your secret phrase is saved. This conversation will be deleted in 1 minute.",
    },
    "safeword_usage": {
        "ko": "안전 단어를 정하면, 상담원 메시지는 항상 그 단어로 시작해요. 진짜 Haven인지 알 수 있어요: /safeword 단어",
        "en": "Set a safety word and every message from our team will start with it, so you know it is really Haven: /safeword word",
    },
    "safeword_set": {
        "ko": "안전 단어를 저장했어요. 상담원 메시지는 이 단어로 시작해요. 이 대화는 1분 뒤 지워져요.",
        "en": "Saved. Messages from our team will start with your safety word. This conversation will be deleted in 1 minute.",
    },
    "secret_length": {
        "ko": "3~64자로 정해 주세요.",
        "en": "Please use 3 to 64 characters.",
    },
    "delete_button": {"ko": "🗑 1분 뒤 삭제", "en": "🗑 Delete in 1 minute"},
    "delete_scheduled": {"ko": "1분 뒤 지울게요.", "en": "I'll delete it in 1 minute."},
    "read_button": {"ko": "✓ 읽음 · 지우기", "en": "✓ Read · delete"},
}


def text(key: str, lang: str) -> str:
    """A discreet-help text in the user's language."""
    return TEXTS[key].get(lang) or TEXTS[key]["en"]


def decoy(kind: str, lang: str) -> str:
    """A harmless notice that shows nothing about help."""
    return DECOYS[kind].get(lang) or DECOYS[kind]["en"]


def normalise(phrase: str) -> str:
    """Compare phrases the way people retype them: case, width and spacing do not matter."""
    folded = unicodedata.normalize("NFKC", phrase).casefold().strip()
    return SPACES.sub(" ", folded).strip(" .!?~")


def secret_hash(user_id: int, phrase: str) -> str:
    """A per-user salted hash of a secret phrase; the phrase itself is never stored."""
    return hashlib.sha256(f"haven:{user_id}:{normalise(phrase)}".encode()).hexdigest()


def valid_secret(phrase: str) -> bool:
    """Long enough not to be typed by accident, short enough to remember."""
    return MIN_SECRET_LENGTH <= len(normalise(phrase)) <= MAX_SECRET_LENGTH


def batches(message_ids: list[int], size: int = DELETE_BATCH) -> list[list[int]]:
    """Split ids into deleteMessages batches (Telegram takes at most 100)."""
    return [message_ids[i : i + size] for i in range(0, len(message_ids), size)]


Delete = Callable[[int, list[int]], Awaitable[None]]


class Janitor:
    """Deletes the messages whose time has come, in batches Telegram accepts."""

    def __init__(self, store: CaseStore, delete: Delete) -> None:
        """Delete through ``delete(chat_id, message_ids)``."""
        self._store = store
        self._delete = delete

    async def purge(self) -> int:
        """Delete every due message; return how many were deleted."""
        deleted = 0
        for chat_id, message_ids in (await self._store.due_deletions(DELETABLE_FOR)).items():
            for batch in batches(message_ids):
                try:
                    await self._delete(chat_id, batch)
                except DeliveryRefused as exc:
                    log.warning("Telegram refused to delete %d messages: %s", len(batch), exc)
                except DeliveryError:
                    log.warning("deleting messages failed; will retry")
                    continue
                await self._store.mark_deleted(chat_id, batch)
                deleted += len(batch)
        return deleted
