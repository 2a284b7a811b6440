"""A staff edit of any content file, however wrong, never silences escalation.

Each file is mutated (a value of another type, a key removed, the file empty, a bare list, a
huge text): the loaders refuse it with their own error naming the file, the last good version
keeps serving, staff are told once per problem, and a cry for help still raises its alert.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.common.settings import Settings
from bot.core.datafile import Reloading
from bot.core.errors import DataFileError, HavenError
from bot.core.facts import load_facts
from bot.core.jobcheck import load_job_texts
from bot.core.languages import load_languages
from bot.core.packs import pack_paths
from bot.core.triage import SafetyNet
from bot.desk.canned import load_canned
from bot.runtime import preflight
from bot.store import OutboxKind
from tests.contentfuzz import mutations
from tests.parts import CONTENT, STAFF_CHAT, build_parts, message

DISTRESS = "help me, they locked me in and took my passport"
FILES = (
    "facts.yml",
    "countries.yml",
    "ko/places.yml",
    "safety_net.yml",
    "ko/safety_net.yml",
    "zh/safety_net.yml",
    "job_flags.yml",
    "en/job_flags.yml",
    "zh/pack.yml",
    "canned.yml",
    "ko/canned.yml",
)
LOADERS: dict[str, Callable[[Path], Any]] = {
    "facts.yml": lambda d: load_facts(d / "facts.yml", d / "countries.yml"),
    "countries.yml": lambda d: load_facts(d / "facts.yml", d / "countries.yml"),
    "ko/places.yml": lambda d: load_facts(d / "facts.yml", d / "countries.yml"),
    "safety_net.yml": lambda d: SafetyNet.load(d / "safety_net.yml"),
    "ko/safety_net.yml": lambda d: SafetyNet.load(d / "safety_net.yml"),
    "zh/safety_net.yml": lambda d: SafetyNet.load(d / "safety_net.yml"),
    "job_flags.yml": lambda d: load_job_texts(d / "job_flags.yml"),
    "en/job_flags.yml": lambda d: load_job_texts(d / "job_flags.yml"),
    "zh/pack.yml": lambda d: load_languages(*pack_paths(d)),
    "canned.yml": lambda d: load_canned(d / "canned.yml"),
    "ko/canned.yml": lambda d: load_canned(d / "canned.yml"),
}


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of content/ that the job checks read too."""
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    monkeypatch.setenv("HAVEN_CONTENT_DIR", str(folder))
    return folder


def edits(content: Path, name: str, sample: int) -> Iterator[str]:
    """Write each mutation of ``content / name`` in turn (a new mtime each), then the original."""
    path = content / name
    original = path.read_bytes()
    for stamp, (label, text) in enumerate(mutations(CONTENT / name, sample), start=1):
        path.write_text(text, encoding="utf-8")
        os.utime(path, ns=(stamp * 10**9, stamp * 10**9))
        yield label
    path.write_bytes(original)
    os.utime(path, ns=(10**12, 10**12))


@pytest.mark.parametrize("name", FILES)
def test_a_loader_refuses_any_mutation_with_its_own_error(name: str, content: Path) -> None:
    load = LOADERS[name]
    for label in edits(content, name, sample=15 if name.endswith("safety_net.yml") else 40):
        try:
            load(content)
        except DataFileError:
            pass
        except Exception as exc:  # pragma: no cover - what the test is for
            pytest.fail(f"{name} {label}: {type(exc).__name__}: {exc}")


@pytest.mark.parametrize("name", FILES)
async def test_a_distress_message_alerts_after_any_edit(
    name: str, content: Path, tmp_path: Path
) -> None:
    parts = await build_parts(tmp_path, content=content)
    told: list[tuple[Path, DataFileError]] = []
    holders = _holders(parts)
    for holder in holders:
        holder.on_problem = lambda path, error: told.append((path, error))
    await parts.conversation.on_text(message("how do I check a job offer in Cambodia?", user_id=1))
    try:
        for user, label in enumerate(edits(content, name, sample=15), start=100):
            before = len(told)
            replies = await parts.conversation.on_text(message(DISTRESS, user_id=user))
            delivered = await parts.deliver()
            alerts = [
                i for i in delivered if i.kind == OutboxKind.ALERT and i.chat_id == STAFF_CHAT
            ]
            assert len(alerts) == 1, label
            assert replies, label
            assert replies[0].text, label
            assert len(told) - before <= 1, label  # read many times, told once
    finally:
        await parts.store.close()


async def test_content_that_fails_when_used_still_lets_the_alert_out(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A value that passed its loader but breaks the code reading it: the alert goes first.

    Every file but the safety net, which is triage itself.
    """
    parts = await build_parts(tmp_path, content=content)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise TypeError("a value the code did not expect")

    for holder in _holders(parts):
        if holder is parts.conversation.net:
            continue
        monkeypatch.setattr(holder, "current", broken)
    try:
        for user, text in enumerate(
            [
                DISTRESS,
                "도와주세요 감금당했어요",
                "they took my passport, is that normal for a job in Cambodia?",
            ],
            start=200,
        ):
            replies = await parts.conversation.on_text(message(text, user_id=user))
            delivered = await parts.deliver()
            assert [i for i in delivered if i.kind == OutboxKind.ALERT], text
            assert replies
    finally:
        await parts.store.close()


@pytest.mark.parametrize("name", FILES)
async def test_start_up_names_the_file_and_never_shows_a_traceback(
    name: str, content: Path, tmp_path: Path
) -> None:
    settings = Settings(content_dir=content, database_path=tmp_path / "db" / "haven.sqlite3")
    for label in edits(content, name, sample=12):
        said = ""
        try:
            await preflight(settings)
        except DataFileError as exc:
            said = str(exc)
        except HavenError as exc:  # pragma: no cover
            pytest.fail(f"{label}: {exc}")
        assert not said or name in said or "facts.yml" in said, (label, said)


def _holders(parts: Any) -> list[Reloading[Any]]:
    from bot.core.jobcheck import job_texts_file

    conversation = parts.conversation
    return [
        conversation.facts,
        conversation.net,
        job_texts_file(),
        conversation.langid.languages,
        parts.contents.canned.file,
    ]
