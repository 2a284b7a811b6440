"""The language packs (content/<code>/): every pack is complete, and a new one is told what it lacks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.common.language import LANGUAGES
from bot.common.settings import Settings
from bot.core.errors import DataFileError, PackError
from bot.core.packs import PARTS, REFERENCE, gaps, packs
from bot.runtime import preflight

ROOT = Path(__file__).resolve().parents[3]
CONTENT = ROOT / "content"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of content/ to add a language to, or break one."""
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    return folder


def test_every_shipped_pack_is_complete() -> None:
    assert gaps(CONTENT) == []


def test_the_languages_haven_answers_in_are_its_answering_packs_in_rank_order() -> None:
    assert tuple(p.code for p in packs(CONTENT) if p.answers) == LANGUAGES
    assert REFERENCE in LANGUAGES


def test_every_language_with_rules_has_held_out_messages() -> None:
    """The rules are measured on messages they were not written from (test_world checks copies)."""
    world = yaml.safe_load((ROOT / "tests" / "heldout" / "world.yml").read_text("utf-8"))
    heard = [p for p in packs(CONTENT) if not p.answers and p.part("safety_net.yml").is_file()]
    assert heard
    for pack in heard:
        examples = world["languages"].get(pack.code) or {}
        assert len(examples.get("distress") or []) >= 15, pack.code
        assert examples.get("ordinary"), pack.code


def test_a_new_language_folder_is_told_each_part_it_lacks(content: Path) -> None:
    (content / "ja" / "pack.yml").write_text("en: Japanese\nko: 일본어\nanswers: 3\n")
    missing = gaps(content)
    assert sorted(m for m in missing if m.endswith(": missing")) == sorted(
        f"{content / 'ja' / part}: missing" for part in PARTS if part != "safety_net.yml"
    )
    # Staff may read any language Haven answers in: every language needs a name in it.
    unnamed = [m for m in missing if m.endswith(": no name in ja")]
    assert unnamed == [f"{p.part('pack.yml')}: no name in ja" for p in packs(content)]
    # Copying the English parts in, and naming each language in Japanese, completes it
    # as far as files go (a translator's starting point).
    for part in PARTS:
        shutil.copy(content / "en" / part, content / "ja" / part)
    for pack in packs(content):
        with pack.part("pack.yml").open("a", encoding="utf-8") as names:
            names.write(f"ja: {pack.code}語\n")
    assert gaps(content) == []


def test_a_text_missing_or_with_other_placeholders_is_named(content: Path) -> None:
    texts = content / "ko" / "texts.yml"
    data = yaml.safe_load(texts.read_text("utf-8"))
    del data["start"]
    data["escalated"] = "상담원에게 알렸어요."  # without its {case}
    texts.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    assert gaps(content) == [
        f"{texts}: no start",
        f"{texts}: escalated has other placeholders than en's",
    ]


@pytest.mark.parametrize(
    ("part", "edit", "problem"),
    [
        ("canned.yml", lambda d: d.pop("location"), "no title and text for location"),
        (
            "job_flags.yml",
            lambda d: d["flags"].pop("high_pay"),
            "no title and text for flag high_pay",
        ),
        ("job_flags.yml", lambda d: d["practices"].pop("crypto"), "no lead for practice crypto"),
        ("job_flags.yml", lambda d: d["messages"].pop("next_low"), "no message next_low"),
        ("places.yml", lambda d: d["countries"].pop("KH"), "no name for country KH"),
        ("safety_net.yml", lambda d: d.pop("rules"), "no rules"),
    ],
)
def test_a_part_lacking_an_entry_is_named(
    content: Path, part: str, edit: object, problem: str
) -> None:
    path = content / "ko" / part
    data = yaml.safe_load(path.read_text("utf-8"))
    edit(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    assert gaps(content) == [f"{path}: {problem}"]


def test_a_stray_file_and_a_heard_language_without_a_name_are_named(content: Path) -> None:
    (content / "ko" / "text.yml").write_text("start: 안녕\n")
    (content / "tl" / "pack.yml").write_text("{en: Tagalog}\n")
    missing = gaps(content)
    assert f"{content / 'tl' / 'pack.yml'}: no name in ko" in missing
    assert any(
        m.startswith(f"{content / 'ko' / 'text.yml'}: not a part of a pack") for m in missing
    )


async def test_start_up_refuses_an_incomplete_pack_naming_the_file(
    content: Path, tmp_path: Path
) -> None:
    (content / "en" / "words.yml").unlink()
    settings = Settings(content_dir=content, database_path=tmp_path / "db" / "haven.sqlite3")
    with pytest.raises(DataFileError, match=r"words\.yml: missing"):
        await preflight(settings)


def test_ranks_must_not_repeat(content: Path) -> None:
    (content / "zh" / "pack.yml").write_text("{en: Chinese, ko: 중국어, answers: 2}\n")
    with pytest.raises(PackError, match="same 'answers' rank"):
        packs(content)
