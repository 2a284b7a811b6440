"""Each part of the app takes the narrow interface of the store it uses, never all of it.

Only the wiring (bot/runtime.py), the tools and the store itself name ``CaseStore``; every
other part declares what it calls (a Protocol beside it, or one record class), and the
wiring hands it the one CaseStore. mypy proves CaseStore satisfies each interface where
runtime.py passes it; these tests say the same without mypy, and that no part goes back to
taking the whole store.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

from bot.store import CaseStore
from tests.unit.test_layers import modules_of_bot, where

WHOLE_STORE = "CaseStore"
MAY_NAME_IT = ("bot/runtime.py", "bot/tools/", "bot/store/")
STORE_NAMES = frozenset({"store", "_store"})
"""Parameters and attributes that hold the store."""


def consumers() -> dict[str, Path]:
    """Every module under bot/ but the wiring, the tools and the store, by dotted name."""
    return {
        name: path
        for name, path in modules_of_bot().items()
        if not where(path).startswith(MAY_NAME_IT)
    }


def annotations_of(tree: ast.AST) -> list[ast.expr]:
    """Every annotation in a module: parameters, returns and annotated assignments."""
    found: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.arg | ast.AnnAssign) and node.annotation is not None:
            found.append(node.annotation)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns:
            found.append(node.returns)
    return found


def names_whole_store(tree: ast.AST) -> list[int]:
    """Lines where a module imports or refers to CaseStore (a quoted annotation included)."""
    lines = [
        node.lineno
        for node in ast.walk(tree)
        if (isinstance(node, ast.Name) and node.id == WHOLE_STORE)
        or (isinstance(node, ast.Attribute) and node.attr == WHOLE_STORE)
        or (isinstance(node, ast.ImportFrom) and any(a.name == WHOLE_STORE for a in node.names))
    ]
    lines += [
        node.lineno
        for annotation in annotations_of(tree)
        for node in ast.walk(annotation)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and WHOLE_STORE in node.value
    ]
    return sorted(set(lines))


def store_annotation(node: ast.AST) -> ast.expr | None:
    """The annotation of a parameter or attribute that holds the store (``store``,
    ``self._store``), if ``node`` is one."""
    if isinstance(node, ast.arg) and node.arg in STORE_NAMES:
        return node.annotation
    if isinstance(node, ast.AnnAssign):
        target = node.target
        name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", None)
        if name in STORE_NAMES:
            return node.annotation
    return None


def store_interfaces() -> dict[str, set[type]]:
    """What each consumer declares it takes as its store: module → the types named."""
    found: dict[str, set[type]] = {}
    for name, path in consumers().items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        held = [store_annotation(node) for node in ast.walk(tree)]
        named = {
            part.id
            for annotation in held
            if annotation is not None
            for part in ast.walk(annotation)
            if isinstance(part, ast.Name) and part.id != "None"
        }
        if named:
            module = importlib.import_module(name)
            found[name] = {getattr(module, type_name) for type_name in named}
    return found


def is_protocol(cls: type) -> bool:
    """Whether ``cls`` is a typing.Protocol (Python 3.11 has no public test for it)."""
    return bool(getattr(cls, "_is_protocol", False))


def protocol_members(protocol: type) -> set[str]:
    """The methods a Protocol asks for, its bases' included."""
    return {
        member
        for cls in protocol.__mro__
        if is_protocol(cls) and cls.__module__ != "typing"
        for member, value in vars(cls).items()
        if not member.startswith("_") and callable(value)
    }


def test_only_the_wiring_the_tools_and_the_store_name_the_whole_store() -> None:
    wrong = [
        f"{where(path)}:{line}"
        for path in consumers().values()
        for line in names_whole_store(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    ]
    assert wrong == [], f"take the narrow interface of the store the part uses: {wrong}"


def test_the_check_finds_the_whole_store_however_it_is_named() -> None:
    found = names_whole_store(
        ast.parse(
            "from bot.store import CaseStore\n"
            "import bot.store\n"
            "def f(a: bot.store.CaseStore, b: 'CaseStore | None') -> None: ...\n"
        )
    )
    assert found == [1, 3]


def test_the_parts_that_take_the_store_are_found() -> None:
    found = store_interfaces()
    assert {"bot.chat.conversation", "bot.desk.staff", "bot.telegram.inbox"} <= set(found)
    assert len(found) >= 25


def test_every_interface_a_part_takes_is_satisfied_by_the_store() -> None:
    """A record class CaseStore joins, or a Protocol whose every method CaseStore has with the
    same parameters and defaults: the Protocol copies the store's signature, it invents none."""
    wrong: list[str] = []
    for module, interfaces in store_interfaces().items():
        for interface in interfaces:
            if not is_protocol(interface):
                if not issubclass(CaseStore, interface):
                    wrong.append(f"{module}: {interface.__name__} is not a part of CaseStore")
                continue
            for member in sorted(protocol_members(interface)):
                if not hasattr(CaseStore, member):
                    wrong.append(f"{module}: {interface.__name__}.{member} is not in CaseStore")
                    continue
                asked = inspect.signature(getattr(interface, member))
                given = inspect.signature(getattr(CaseStore, member))
                if asked != given:
                    wrong.append(
                        f"{module}: {interface.__name__}.{member}{asked} != CaseStore{given}"
                    )
    assert wrong == []


def test_every_protocol_is_narrower_than_the_store() -> None:
    everything = {name for name in dir(CaseStore) if not name.startswith("_")}
    sizes = {
        interface.__name__: len(protocol_members(interface))
        for interfaces in store_interfaces().values()
        for interface in interfaces
        if is_protocol(interface)
    }
    assert sizes
    assert all(0 < size < len(everything) for size in sizes.values()), sizes
