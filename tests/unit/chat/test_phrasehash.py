"""Code phrases and duress words at rest: scrypt with a salt of their own, older hashes wrapped.

Fast tier: real store, no engine, no Telegram.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from dataclasses import replace
from pathlib import Path

import pytest

from bot.chat import phrasehash
from bot.chat.flows import FlowName
from bot.store import CheckIn, PhraseKind, iso, now
from tests.parts import USER, build_parts, message


def legacy(user_id: int, phrase: str) -> str:
    """What Haven stored before scrypt: an unkeyed SHA-256, salted only with the user id."""
    return hashlib.sha256(f"haven:{user_id}:{phrase}".encode()).hexdigest()


def test_a_phrase_is_stored_through_scrypt_with_its_own_salt() -> None:
    first, second = phrasehash.make("Blue umbrella"), phrasehash.make("Blue umbrella")
    assert first.startswith("scrypt$")
    assert first != second, "each hash has its own random salt"
    _scheme, salt, key = first.split("$")
    assert (len(bytes.fromhex(salt)), len(bytes.fromhex(key))) == (16, 32)
    assert (phrasehash.N, phrasehash.R, phrasehash.P) == (2**14, 8, 1)
    assert phrasehash.check(USER, "  blue   UMBRELLA!", first), "retyped as people do"
    assert not phrasehash.check(USER, "blue umbrellas", first)
    assert "umbrella" not in first.lower()


def test_an_older_hash_is_wrapped_without_the_phrase_and_still_matches() -> None:
    old = legacy(USER, "purple rain")
    wrapped = phrasehash.wrap_legacy(old)
    assert wrapped.startswith("scrypt-sha256$")
    assert old not in wrapped
    assert phrasehash.check(USER, "Purple Rain", wrapped)
    assert not phrasehash.check(USER, "purple snow", wrapped)
    assert not phrasehash.check(USER + 1, "purple rain", wrapped), "bound to its user"


@pytest.mark.parametrize("stored", ["", "md5$00$00", "scrypt$zz$00", "scrypt", legacy(1, "x")])
def test_an_unreadable_hash_never_matches(stored: str, caplog: pytest.LogCaptureFixture) -> None:
    assert not phrasehash.check(1, "x", stored)
    assert "unreadable" in caplog.text


async def test_checking_runs_off_the_event_loop() -> None:
    stored = phrasehash.make("blue umbrella")
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.001)

    running = asyncio.ensure_future(ticker())
    started = time.perf_counter()
    results = await asyncio.gather(*(phrasehash.matches(USER, "nope", stored) for _ in range(4)))
    took = time.perf_counter() - started
    running.cancel()
    assert results == [False] * 4
    assert ticks >= 5, f"the loop was blocked for {took:.3f}s"


async def test_older_hashes_are_upgraded_at_start_and_keep_working(tmp_path: Path) -> None:
    parts = await build_parts(tmp_path)
    store = parts.store
    await store.remember_user(USER, USER, "en")
    await store.set_secret(USER, "codeword_hash", legacy(USER, "blue umbrella"))
    checkin = CheckIn(
        USER, USER, "en", "Phnom Penh", "today", 60, 30, legacy(USER, "purple rain"),
        iso(now()), None,
    )  # fmt: skip
    await store.save_checkin(checkin)
    assert await phrasehash.upgrade_stored(store) == 2
    assert await phrasehash.upgrade_stored(store) == 0, "once is enough"
    stored = await store.phrase_hashes()
    assert sorted(kind for kind, _, _ in stored) == [PhraseKind.CODEWORD, PhraseKind.DURESS]
    assert all(value.startswith("scrypt-sha256$") for _, _, value in stored)
    replies = await parts.conversation.on_text(message("Blue Umbrella"))
    assert "Delivery notice" in replies[0].text, "the old code phrase still opens a case"
    case = await store.active_case(USER)
    assert case is not None
    assert case.kind == "discreet"
    await store.resolve(case.id, 1)
    await store.save_checkin(replace(checkin, duress_hash=stored[1][2], awaiting_since=iso(now())))
    assert await parts.checkins.answered(USER, "purple rain") == "duress"
    await store.close()


async def test_new_phrases_never_reach_the_disk(tmp_path: Path) -> None:
    parts = await build_parts(tmp_path)
    await parts.conversation.on_command(message(), "codeword", "Blue Umbrella")
    await parts.flows.start(message(), "en", FlowName.CHECKIN)
    for answer in ("Bangkok", "tomorrow", "12h", "Purple Rain"):
        await parts.conversation.on_text(message(answer))
    checkin = await parts.store.checkin(USER)
    assert checkin is not None
    assert checkin.duress_hash is not None
    assert checkin.duress_hash.startswith("scrypt$")
    codeword, _safety = await parts.store.secrets(USER)
    assert codeword is not None
    assert codeword.startswith("scrypt$")
    await parts.store.close()
    on_disk = b"".join(p.read_bytes() for p in tmp_path.glob("haven.sqlite3*"))
    for phrase in ("blue umbrella", "purple rain"):
        assert phrase.encode() not in on_disk.lower()
        assert legacy(USER, phrase).encode() not in on_disk


async def test_only_text_that_could_be_a_code_phrase_is_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts = await build_parts(tmp_path)
    await parts.conversation.on_command(message(), "codeword", "Blue Umbrella")
    checked: list[str] = []
    real = phrasehash.matches

    async def counting(user_id: int, phrase: str, stored: str) -> bool:
        checked.append(phrase)
        return await real(user_id, phrase, stored)

    monkeypatch.setattr(phrasehash, "matches", counting)
    await parts.conversation.on_text(message("ok"))
    await parts.conversation.on_text(message("x" * 200))
    await parts.conversation.on_text(message("what is the weather"))
    assert checked == ["what is the weather"]
    await parts.store.close()
