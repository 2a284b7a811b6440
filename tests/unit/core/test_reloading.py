"""Every content file reloads on change and keeps its last good version on a bad edit."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bot.core.datafile import Reloading
from bot.core.errors import DataFileError, JobFlagsError, SafetyNetError
from bot.core.jobcheck import job_texts
from bot.core.triage import SafetyNetFile

CONTENT = Path(__file__).resolve().parents[3] / "content"


def touch(path: Path, stamp: int) -> None:
    """Give a file a distinct modification time, as an edit would."""
    os.utime(path, ns=(stamp, stamp))


def test_a_bad_edit_keeps_the_last_good_value_and_reports_once(tmp_path: Path) -> None:
    path = tmp_path / "numbers.txt"
    path.write_text("1", encoding="utf-8")
    problems: list[str] = []

    def load(p: Path) -> int:
        try:
            return int(p.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise DataFileError(f"{p}: not a number") from exc

    holder = Reloading(load, path, on_problem=lambda _path, exc: problems.append(str(exc)))
    assert holder.current() == 1
    path.write_text("one", encoding="utf-8")
    touch(path, 2)
    assert holder.current() == 1
    assert holder.current() == 1
    assert len(problems) == 1
    assert "not a number" in holder.problem
    path.write_text("3", encoding="utf-8")
    touch(path, 3)
    assert holder.current() == 3
    assert holder.problem == ""


def test_a_missing_file_at_start_is_an_error(tmp_path: Path) -> None:
    holder = Reloading(lambda p: p.read_text(), tmp_path / "absent.yml", error=SafetyNetError)
    with pytest.raises(SafetyNetError, match="cannot read it"):
        holder.current()


def test_the_safety_net_reloads_and_survives_a_broken_edit(tmp_path: Path) -> None:
    shutil.copytree(CONTENT, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "safety_net.yml"
    net = SafetyNetFile(path)
    assert net.check("help me please, they locked me in") is not None
    good = net.current()
    path.write_text("rules: [\n", encoding="utf-8")
    touch(path, 5)
    assert net.current() is good
    assert net.check("help me please, they locked me in") is not None
    assert "not valid YAML" in net.problem
    shutil.copy(CONTENT / "safety_net.yml", path)
    pack = tmp_path / "ko" / "safety_net.yml"
    pack.write_text("rules: [{id: ko_x, lang: ko, category: self, patterns: ['x']}]\n")
    touch(pack, 6)
    assert net.current() is good
    assert "its folder says it" in net.problem


def test_job_flags_survive_a_broken_edit(tmp_path: Path) -> None:
    shutil.copytree(CONTENT, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "job_flags.yml"
    good = job_texts(path)
    path.write_text("flags: {}\n", encoding="utf-8")
    touch(path, 7)
    assert job_texts(path) is good
    shutil.copy(CONTENT / "job_flags.yml", path)
    words = tmp_path / "ko" / "job_flags.yml"
    words.write_text("flags: {}\n", encoding="utf-8")
    touch(words, 8)
    assert job_texts(path) is good
    broken = tmp_path / "broken.yml"
    broken.write_text("flags: [\n", encoding="utf-8")
    with pytest.raises(JobFlagsError):
        job_texts(broken)
