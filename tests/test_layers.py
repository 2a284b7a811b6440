"""The layer rules of docs/architecture.md, checked exactly on the source.

Ruff's ban lists (pyproject.toml and the ruff.toml files) report a violation as it is typed,
but a ban list cannot say "only"; these tests can.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE_THIRD_PARTY = frozenset({"yaml", "__future__"})
PY311_ONLY = frozenset({"enum.StrEnum", "typing.Self"})


def python_files(*folders: str) -> list[Path]:
    """Every .py file under the given folders of the repository."""
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def where(path: Path) -> str:
    """The file's path from the repository root, with forward slashes."""
    return path.relative_to(ROOT).as_posix()


def package_of(path: Path) -> str:
    """The dotted package a file belongs to (for relative imports)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1])


def imported(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in the file; ``from a import b`` gives ``a.b``."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = package_of(path).split(".")
                package = package[: len(package) - (node.level - 1)]
                base = ".".join(p for p in (*package, base) if p)
            found += [
                (node.lineno, base if alias.name == "*" else f"{base}.{alias.name}")
                for alias in node.names
            ]
    return found


def under(module: str, package: str) -> bool:
    """Whether ``module`` is ``package`` or inside it."""
    return module == package or module.startswith(package + ".")


def violations(folders: tuple[str, ...], allowed: str, banned: str) -> list[str]:
    """Imports of ``banned`` from files outside the folder ``allowed``."""
    return [
        f"{where(path)}:{line}: {module}"
        for path in python_files(*folders)
        if not where(path).startswith(allowed)
        for line, module in imported(path)
        if under(module, banned)
    ]


def test_core_imports_only_the_standard_library_yaml_and_core() -> None:
    files = python_files("bot/core")
    assert files
    wrong = [
        f"{where(path)}:{line}: {module}"
        for path in files
        for line, module in imported(path)
        if not (
            module.split(".")[0] in sys.stdlib_module_names
            or module.split(".")[0] in CORE_THIRD_PARTY
            or under(module, "bot.core")
        )
    ]
    assert wrong == []


def test_core_stays_on_python_310() -> None:
    wrong = []
    for path in python_files("bot/core"):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for line, module in imported(path):
            if module in PY311_ONLY:
                wrong.append(f"{where(path)}:{line}: {module}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id == "StrEnum":
                wrong.append(f"{where(path)}:{node.lineno}: StrEnum")
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                name = f"{node.value.id}.{node.attr}"
                if name in PY311_ONLY:
                    wrong.append(f"{where(path)}:{node.lineno}: {name}")
    assert wrong == []


def test_only_bot_telegram_imports_telegram() -> None:
    assert violations(("bot", "actions", "components"), "bot/telegram/", "telegram") == []


def test_only_bot_store_imports_aiosqlite() -> None:
    assert violations(("bot", "actions", "components"), "bot/store/", "aiosqlite") == []


def test_only_the_store_seals() -> None:
    wrong = violations(("bot", "actions", "components"), "bot/store/crypto.py", "cryptography")
    assert wrong == []


def test_only_the_wiring_imports_the_telegram_front_end() -> None:
    wrong = violations(("bot", "actions", "components"), "bot/telegram/", "bot.telegram")
    assert [w for w in wrong if not w.startswith("bot/__main__.py:")] == []


def test_engine_side_imports_only_core_from_bot() -> None:
    files = python_files("actions", "components")
    assert files
    wrong = [
        f"{where(path)}:{line}: {module}"
        for path in files
        for line, module in imported(path)
        if under(module, "bot") and not under(module, "bot.core")
    ]
    assert wrong == []


def test_ruff_ban_lists_name_every_bot_module_outside_core() -> None:
    """A module added to bot/ must be added to the ban lists of the engine side and of core."""
    modules = {
        f"bot.{p.stem if p.is_file() else p.name}"
        for p in (ROOT / "bot").iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()
    } - {"bot.core"}
    root = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    core = tomllib.loads((ROOT / "bot/core/ruff.toml").read_text(encoding="utf-8"))
    engine_side = root["tool"]["ruff"]["lint"]["flake8-tidy-imports"]["banned-api"]
    core_bans = core["lint"]["flake8-tidy-imports"]["banned-api"]
    assert modules - set(engine_side) == set()
    assert modules - set(core_bans) == set()
