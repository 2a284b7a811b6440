"""The engine's child processes inherit only an allow-listed part of Haven's environment."""

from __future__ import annotations

import os

from bot.engine.services import SECRET_VARIABLE, child_environment


def test_children_inherit_only_the_allow_list() -> None:
    parent = {
        "PATH": "/usr/bin",
        "HOME": "/home/h",
        "LANG": "ko_KR.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TELEGRAM_BOT_TOKEN": "1:secret",
        "ENGINE_SECRET": "e" * 32,
        "HAVEN_DATA_KEY": "d" * 32,
        "HAVEN_PSEUDONYM_KEY": "p" * 32,
        "AWS_SECRET_ACCESS_KEY": "x",
    }
    env = child_environment(parent, {SECRET_VARIABLE: "s" * 32, "PYTHONPATH": "/root"})
    assert env == {
        "PATH": "/usr/bin",
        "HOME": "/home/h",
        "LANG": "ko_KR.UTF-8",
        "LC_ALL": "C.UTF-8",
        SECRET_VARIABLE: "s" * 32,
        "PYTHONPATH": "/root",
    }
    assert child_environment({}, {})["PATH"] == os.defpath
