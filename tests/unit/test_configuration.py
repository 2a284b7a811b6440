"""The README's configuration table and the code read the same variables, with the same
defaults where the table gives a number."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from bot.common.settings import ROOT, Settings

SOURCE = (ROOT / "bot" / "common" / "settings.py").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
TABLE = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
# A table row names one variable, or several separated by commas.
ROWS = {
    name: row
    for row in re.findall(r"^\| (`[A-Z_]+`(?:, `[A-Z_]+`)*) \|.*$", TABLE, re.MULTILINE)
    for name in re.findall(r"`([A-Z_]+)`", row)
}
READ = set(re.findall(r'(?:v\.get\(|v\[|_\w+\(v, )"([A-Z][A-Z0-9_]+)"', SOURCE))
# field = _reader(v, "VARIABLE", ...): which field each variable fills.
FIELD = dict(
    (var, name)
    for name, var in re.findall(r'^\s+(\w+)=.*?"([A-Z][A-Z0-9_]+)"', SOURCE, re.MULTILINE)
)


def test_the_table_names_every_variable_the_code_reads_and_no_other() -> None:
    assert READ - set(ROWS) == set(), (
        "read by bot/common/settings.py, missing from the README table"
    )
    assert set(ROWS) - READ == set(), "in the README table, never read"


def defaults() -> list[tuple[str, str]]:
    """(variable, default) for the rows whose default is a plain number in backticks."""
    found = []
    for line in TABLE.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and re.fullmatch(r"`[A-Z_]+`", cells[0]):
            number = re.fullmatch(r"`([\d.]+)`", cells[-1])
            if number is not None:
                found.append((cells[0].strip("`"), number.group(1)))
    return found


@pytest.mark.parametrize(("variable", "default"), defaults())
def test_each_numeric_default_is_the_codes(variable: str, default: str) -> None:
    names = {f.name for f in fields(Settings)}
    field = FIELD[variable]
    assert field in names, variable
    # What an operator gets from an empty environment (code-built settings may differ, as
    # TOPIC_UNDO_SECONDS does: 0 for tests, 5 from the environment).
    configured = Settings.from_env({}, dotenv=Path("/nonexistent"))
    assert float(getattr(configured, field)) == float(default), variable
