"""The layer rules of docs/architecture.md, checked exactly on the source.

Ruff's ban lists (pyproject.toml and the ruff.toml files) report a violation as it is typed,
but a ban list cannot say "only"; these tests can.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
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


def from_imports(path: Path) -> list[tuple[int, str, str]]:
    """(line, module, name) for every ``from module import name``, relative ones resolved."""
    found: list[tuple[int, str, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = package_of(path).split(".")
                package = package[: len(package) - (node.level - 1)]
                base = ".".join(p for p in (*package, base) if p)
            found += [(node.lineno, base, alias.name) for alias in node.names]
    return found


def imported(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in the file; ``from a import b`` gives ``a.b``."""
    found = [
        (node.lineno, alias.name)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    found += [
        (line, base if name == "*" else f"{base}.{name}") for line, base, name in from_imports(path)
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


PACKAGES = (
    "bot.core",
    "bot.store",
    "bot.common",
    "bot.engine",
    "bot.delivery",
    "bot.desk",
    "bot.chat",
    "bot.tools",
    "bot.telegram",
    "bot.runtime",
    "bot.__main__",
)
"""Every room of bot/: its packages and the two modules directly in it."""

MAY_IMPORT: dict[str, tuple[str, ...]] = {
    "bot/core/": ("bot.core",),
    "bot/store/": ("bot.core", "bot.store"),
    "bot/common/": ("bot.core", "bot.common"),
    "bot/engine/": ("bot.core", "bot.common", "bot.engine"),
    "bot/delivery/": ("bot.core", "bot.common", "bot.store", "bot.delivery"),
    "bot/desk/": ("bot.core", "bot.common", "bot.store", "bot.engine", "bot.delivery", "bot.desk"),
    "bot/chat/": (
        "bot.core",
        "bot.common",
        "bot.store",
        "bot.engine",
        "bot.delivery",
        "bot.desk.intake",
        "bot.chat",
    ),
    "bot/telegram/": tuple(p for p in PACKAGES if p not in ("bot.tools", "bot.__main__")),
    "bot/tools/": PACKAGES,
    "bot/runtime.py": tuple(p for p in PACKAGES if p not in ("bot.tools", "bot.telegram")),
    "bot/__main__.py": PACKAGES,
}
"""The one rule per room (docs/architecture.md): what of ``bot`` it may import."""


def room(path: Path) -> str:
    """The key of ``MAY_IMPORT`` a file falls under."""
    name = where(path)
    rooms = [r for r in MAY_IMPORT if name == r or (r.endswith("/") and name.startswith(r))]
    assert len(rooms) == 1, f"{name} is in no room of MAY_IMPORT (or in two)"
    return rooms[0]


def test_bot_has_at_most_four_modules_of_its_own() -> None:
    own = sorted(p.name for p in (ROOT / "bot").glob("*.py"))
    assert len(own) <= 4, own


MODULE_LINES = 600
CLASS_LINES = 350


def test_no_module_over_600_lines_and_no_class_over_350() -> None:
    """A reader finds one concept per module and per class: size is the first sign of two."""
    too_long = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        where = path.relative_to(ROOT)
        if len(source.splitlines()) > MODULE_LINES:
            too_long.append(f"{where}: {len(source.splitlines())} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ClassDef) and node.end_lineno is not None:
                size = node.end_lineno - node.lineno + 1
                if size > CLASS_LINES:
                    too_long.append(f"{where}: class {node.name}, {size} lines")
    assert too_long == []


def test_every_package_imports_only_what_its_rule_allows() -> None:
    wrong = [
        f"{where(path)}:{line}: {module}"
        for path in python_files("bot")
        for line, module in imported(path)
        if under(module, "bot")
        and module != "bot"
        and not any(under(module, allowed) for allowed in MAY_IMPORT[room(path)])
    ]
    assert wrong == []


def modules_of_bot() -> dict[str, Path]:
    """Dotted name of every module under bot/ (a package by its __init__.py)."""
    found = {}
    for path in python_files("bot"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def import_graph() -> dict[str, set[str]]:
    """Which bot modules each bot module imports, TYPE_CHECKING imports and functions' included."""
    modules = modules_of_bot()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for _line, target in imported(path):
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target not in (name, "bot"):
                graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), or one importing itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_under_bot() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def bans(config: Path) -> set[str]:
    """The modules a ruff config bans (banned-api keys)."""
    data = tomllib.loads(config.read_text(encoding="utf-8"))
    lint = data["tool"]["ruff"]["lint"] if "tool" in data else data["lint"]
    return set(lint["flake8-tidy-imports"]["banned-api"])


def test_each_package_has_its_rule_in_ruff() -> None:
    """Each package's ruff.toml bans exactly the rooms its rule forbids (ruff reports them as
    they are typed; the test above is the exact check)."""
    for key, allowed in MAY_IMPORT.items():
        if not key.endswith("/") or key in ("bot/core/", "bot/tools/"):
            continue
        banned = bans(ROOT / key / "ruff.toml")
        for package in PACKAGES:
            if package == "bot." + key.split("/")[1]:
                continue
            forbidden = not any(under(package, a) or under(a, package) for a in allowed)
            assert (package in banned) == forbidden, f"{key}ruff.toml and {package}"


def test_ruff_ban_lists_name_every_bot_package_outside_core() -> None:
    """A package added to bot/ must be added to the ban lists of the engine side and of core."""
    rooms = {
        f"bot.{p.stem if p.is_file() else p.name}"
        for p in (ROOT / "bot").iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()
    } - {"bot.core"}
    assert rooms == set(PACKAGES) - {"bot.core"}
    assert rooms - bans(ROOT / "pyproject.toml") == set()
    assert rooms - bans(ROOT / "bot/core/ruff.toml") == set()


def test_no_module_imports_another_modules_private_names() -> None:
    """A leading underscore means "this module's own": another module takes the public name."""
    wrong = [
        f"{where(path)}:{line}: {module}"
        for path in python_files("bot", "actions", "components")
        for line, module in imported(path)
        if under(module, "bot")
        and module.rpartition(".")[2].startswith("_")
        and not module.rpartition(".")[2].startswith("__")
    ]
    assert wrong == []


def listed(tree: ast.Module) -> list[str] | None:
    """The names in a module's ``__all__`` if it is a literal list or tuple of strings, else None."""
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            if not isinstance(value, ast.List | ast.Tuple):
                return None
            strings = [
                e.value
                for e in value.elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
            ]
            return strings if len(strings) == len(value.elts) else None
    return None


def bound(tree: ast.Module) -> set[str]:
    """The names a module defines or imports at its top level (inside ``if`` and ``try`` too)."""
    names: set[str] = set()
    nodes: list[ast.AST] = list(tree.body)
    while nodes:
        node = nodes.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        else:
            nodes += [
                child
                for child in ast.iter_child_nodes(node)
                if isinstance(child, ast.stmt | ast.excepthandler)
            ]
    return names


def public_names() -> dict[str, list[str] | None]:
    """Each bot module's ``__all__`` (None where it has none as a literal)."""
    return {
        name: listed(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        for name, path in modules_of_bot().items()
    }


def test_every_bot_module_lists_its_public_names_in_all() -> None:
    """#20 style: a module says what it offers; ``__all__`` names only what it has."""
    modules = modules_of_bot()
    wrong = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        names = listed(tree)
        if names is None:
            wrong.append(f"{where(path)}: no __all__ as a literal list of strings")
            continue
        has = bound(tree)
        wrong += [
            f"{where(path)}: __all__ lists {entry!r}, which {name} neither defines nor imports"
            for entry in names
            if entry not in has and f"{name}.{entry}" not in modules
        ]
    assert not wrong, "\n".join(wrong)


def test_bot_imports_from_a_bot_module_only_what_its_all_lists() -> None:
    """Under bot/ a name is taken from another module only if that module lists it in
    ``__all__`` (or it is a submodule); tests may still reach past it."""
    modules = modules_of_bot()
    public = public_names()
    wrong = [
        f"{where(path)}:{line}: imports {name} from {module}, whose __all__ does not list it"
        for path in python_files("bot")
        for line, module, name in from_imports(path)
        if module in modules
        and f"{module}.{name}" not in modules
        and name not in (public[module] or [])
    ]
    assert not wrong, "\n".join(wrong)


def test_the_all_checks_find_a_missing_name() -> None:
    tree = ast.parse(
        "import os\nfrom a import b as c\nif x:\n    D = 1\nclass E: ...\n__all__ = ['c', 'D', 'E', 'F']\n"
    )
    assert listed(tree) == ["c", "D", "E", "F"]
    assert {"c", "D", "E"} <= bound(tree)
    assert "F" not in bound(tree)
    assert listed(ast.parse("__all__ = [name]")) is None
    assert listed(ast.parse("x = 1")) is None
