"""deploy/: the systemd unit restarts Haven and is hardened, and systemd itself accepts it;
the reverse proxy keeps Haven on loopback and passes Telegram's secret header through."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.common.settings import ROOT, Settings

DEPLOY = ROOT / "deploy"
UNIT = DEPLOY / "haven.service"
DATA = "/var/lib/haven"


def directives(unit: Path) -> dict[str, list[str]]:
    """Each key of a unit file with its values, in order (systemd allows a key again)."""
    found: dict[str, list[str]] = {}
    for line in unit.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.lstrip().startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def rendered(tmp_path: Path) -> Path:
    """The unit with its paths pointed at this checkout, so systemd can check the command."""
    text = UNIT.read_text(encoding="utf-8")
    text = text.replace("/opt/haven", str(ROOT)).replace(DATA, str(tmp_path))
    text = text.replace("/etc/haven/haven.env", "/dev/null")
    unit = tmp_path / "haven.service"
    unit.write_text(text, encoding="utf-8")
    return unit


def test_the_unit_restarts_on_failure_as_its_own_user_and_is_hardened() -> None:
    unit = directives(UNIT)
    assert unit["Restart"] == ["on-failure"]
    assert unit["User"] == ["haven"]
    assert unit["ExecStart"] == ["/opt/haven/.venv/bin/python -m bot"]
    assert unit["RestartPreventExitStatus"] == ["1 2"], "a setting to fix is not retried"
    for key, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "PrivateTmp": "yes",
        "ProtectHome": "yes",
        "PrivateDevices": "yes",
        "UMask": "0077",
        "CapabilityBoundingSet": "",
    }.items():
        assert unit[key] == [value], key
    assert unit["ReadWritePaths"] == [DATA], "only the data folder is writable"
    env = (DEPLOY / "haven.env.example").read_text(encoding="utf-8")
    assert f"DATABASE_PATH={DATA}/" in env
    assert f"BACKUP_DIR={DATA}/backups" in env
    key_file = re.search(r"^HAVEN_DATA_KEY_FILE=(\S+)$", env, re.MULTILINE)
    assert key_file is not None
    assert not key_file.group(1).startswith(DATA), "the data key is not in the backed-up folder"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    unit = rendered(tmp_path)
    checked = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stderr
    assert unit.name not in checked.stderr, checked.stderr  # a warning is a mistake too
    security = subprocess.run(
        ["systemd-analyze", "security", "--offline=true", str(unit)],
        capture_output=True,
        text=True,
        check=False,
    )
    level = re.search(r"Overall exposure level for \S+: ([\d.]+) (\w+)", security.stdout)
    if level is not None:  # systemd before 250 has no --offline
        print(f"systemd-analyze security: exposure {level.group(1)} {level.group(2)}")
        assert level.group(2) == "OK", security.stdout


def test_a_mistake_in_the_unit_is_caught(tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("no systemd-analyze here")
    unit = rendered(tmp_path)
    unit.write_text(unit.read_text().replace("Restart=on-failure", "Restart=sometimes"))
    checked = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, check=False
    )
    assert unit.name in checked.stderr


def test_the_proxy_keeps_haven_on_loopback_and_passes_the_secret_header() -> None:
    conf = (DEPLOY / "nginx-haven.conf").read_text(encoding="utf-8")
    defaults = Settings()
    assert defaults.webhook_listen == "127.0.0.1"
    assert f"proxy_pass http://127.0.0.1:{defaults.webhook_port}/" in conf
    assert (
        "proxy_set_header X-Telegram-Bot-Api-Secret-Token "
        "$http_x_telegram_bot_api_secret_token;" in conf
    )
    assert "listen 443 ssl;" in conf
    assert "/metrics" not in re.sub(r"#.*", "", conf), "the numbers stay on loopback"
