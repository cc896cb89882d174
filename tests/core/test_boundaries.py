"""The seams of the code base (DESIGN §2), checked by reading the source:

- `core/` never imports a domain;
- a domain's `service`, `queries` and `checks` modules cannot reach Litestar, even through what they import;
- domains import each other without a cycle;
- a module writes only its own domain's tables (another domain's go through that domain's queries or service).

`find_violations` takes the package root so the test can also show that a deliberate violation is caught.
"""

from __future__ import annotations

import ast
import shutil
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import kitchenasty

PACKAGE_ROOT = Path(kitchenasty.__file__).resolve().parent
CORE = "core"
NOT_DOMAINS = {"core", "cli", "web", "migrations", "services", "app", "__main__"}
"""Packages and modules that own no table (`services` and `app` wire the domains together): `core` owns its
plumbing tables (events, outbox) and writes them itself;
`cli` and `web` are front ends and must go through services."""
CORE_TABLE_MODULES = {"kitchenasty.core.events", "kitchenasty.core.outbox", "kitchenasty.core.schema"}
WRITE_BUILDERS = {"insert", "update", "delete", "sqlite_insert", "postgresql_insert"}
PURE_LAYERS = ("service", "queries", "checks")


@dataclass
class Module:
    name: str
    path: Path
    tree: ast.Module
    imports: set[str] = field(default_factory=set)
    """kitchenasty modules and top-level third-party packages imported at run time (not under TYPE_CHECKING)."""


def _module_name(root: Path, path: Path) -> str:
    parts = ["kitchenasty", *path.relative_to(root).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.Module) -> Iterator[str]:
    def walk(nodes: list[ast.stmt]) -> Iterator[str]:
        for node in nodes:
            if isinstance(node, ast.If) and _is_type_checking(node):
                yield from walk(node.orelse)
                continue
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield alias.name
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield node.module
                for alias in node.names:
                    yield f"{node.module}.{alias.name}"
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.stmt):
                    yield from walk([child])

    yield from walk(tree.body)


def load_modules(root: Path) -> dict[str, Module]:
    modules: dict[str, Module] = {}
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.relative_to(root).parts:
            continue
        name = _module_name(root, path)
        modules[name] = Module(name, path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    for module in modules.values():
        for imported in _runtime_imports(module.tree):
            if imported.startswith("kitchenasty"):
                while imported not in modules and "." in imported:
                    imported = imported.rsplit(".", 1)[0]
                if imported in modules and imported != module.name:
                    module.imports.add(imported)
            else:
                module.imports.add(imported.split(".", 1)[0])
    return modules


def domain_of(module_name: str) -> str | None:
    parts = module_name.split(".")
    return parts[1] if len(parts) > 1 else None


def reachable(modules: dict[str, Module], start: str) -> dict[str, str]:
    """Every module and package `start` imports, directly or not, with the module that imports it."""
    seen: dict[str, str] = {}
    stack = [start]
    while stack:
        current = stack.pop()
        for imported in modules[current].imports if current in modules else ():
            if imported not in seen:
                seen[imported] = current
                stack.append(imported)
    return seen


# ---------------------------------------------------------------- table owners and writes


def table_owners(modules: dict[str, Module]) -> dict[str, str]:
    """Model class name (and `<Model>.__table__` alias) -> the domain that owns it, from each `models.py`."""
    owners: dict[str, str] = {}
    for module in modules.values():
        domain = domain_of(module.name)
        if domain is None:
            continue
        if not (module.name.endswith(".models") or module.name in CORE_TABLE_MODULES):
            continue
        for node in module.tree.body:
            if isinstance(node, ast.ClassDef) and any(isinstance(b, ast.Name) and b.id == "Base" for b in node.bases):
                owners[node.name] = domain
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                func = node.value.func
                if isinstance(func, ast.Name) and func.id == "Table":
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            owners[target.id] = domain
    return owners


def _name_of(node: ast.AST) -> str | None:
    """`Model`, `Model.__table__` or `Model.__table__.c...` -> "Model"."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


class _WriteFinder(ast.NodeVisitor):
    """Finds writes in one module: statement builders over a table, `session.add(Model(...))`, and attribute
    assignments on an object loaded from a model (`x = await session.get(Model, ...)`, then `x.field = ...`)."""

    def __init__(self, owners: dict[str, str], aliases: dict[str, set[str]], builders: dict[str, str]) -> None:
        self.owners = owners
        self.aliases = aliases
        self.builders = builders
        self.found: list[tuple[int, str, str]] = []
        self._loaded: dict[str, set[str]] = {}

    def models_in(self, node: ast.AST) -> set[str]:
        names = set()
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name):
                names |= self.aliases.get(sub.id, set())
                if sub.id in self.owners:
                    names.add(sub.id)
        return names

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        outer, self._loaded = self._loaded, {}
        self.generic_visit(node)
        self._loaded = outer

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_Assign(self, node: ast.Assign) -> None:
        value = node.value.value if isinstance(node.value, ast.Await) else node.value
        loaded = self._loaded_models(value)
        for target in node.targets:
            if isinstance(target, ast.Name) and loaded:
                self._loaded[target.id] = loaded
            elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                for model in self._loaded.get(target.value.id, set()):
                    self.found.append((node.lineno, model, f"sets {target.value.id}.{target.attr}"))
        self.generic_visit(node)

    def _loaded_models(self, value: ast.AST) -> set[str]:
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
            if value.func.attr == "get" and value.args:
                return self.models_in(value.args[0])
            if value.func.attr in {"scalar", "scalars", "execute"} and value.args:
                inner = value.args[0]
                calls = [c for c in ast.walk(inner) if isinstance(c, ast.Call) and _name_of(c.func) == "select"]
                return set().union(*(self.models_in(c.args[0]) for c in calls if c.args)) if calls else set()
        return set()

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        builder = self.builders.get(func.id) if isinstance(func, ast.Name) else None
        if builder is not None and node.args:
            for model in self.models_in(node.args[0]):
                self.found.append((node.lineno, model, f"{builder}()"))
        if isinstance(func, ast.Attribute) and func.attr in {"insert", "update", "delete"} and not node.args:
            for model in self.models_in(func.value):
                self.found.append((node.lineno, model, f".{func.attr}()"))
        if isinstance(func, ast.Attribute) and func.attr in {"add", "add_all"} and node.args:
            for sub in ast.walk(node.args[0]):
                if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id in self.owners:
                    self.found.append((node.lineno, sub.func.id, "session.add()"))
        self.generic_visit(node)


def _aliases(tree: ast.Module, owners: dict[str, str]) -> dict[str, set[str]]:
    """Module-level and local names bound to a model or its table (`orders_t = Order.__table__`,
    `model = StaffUser if ... else Customer`)."""
    aliases: dict[str, set[str]] = defaultdict(set)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.asname and alias.name in owners:
                    aliases[alias.asname].add(alias.name)
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            models = {sub.id for sub in ast.walk(node.value) if isinstance(sub, ast.Name) and sub.id in owners}
            if not models or (isinstance(node.value, ast.Call) and _name_of(node.value.func) not in owners):
                continue
            for target in targets:
                if isinstance(target, ast.Name):
                    aliases[target.id] |= models
    return aliases


def _builders(tree: ast.Module) -> dict[str, str]:
    """Local names of SQLAlchemy's statement builders (`update`, or `update as sql_update`)."""
    names = {name: name for name in WRITE_BUILDERS}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sqlalchemy"):
            for alias in node.names:
                if alias.name in WRITE_BUILDERS:
                    names[alias.asname or alias.name] = alias.name
    return names


def foreign_writes(modules: dict[str, Module]) -> list[str]:
    owners = table_owners(modules)
    problems = []
    for module in modules.values():
        domain = domain_of(module.name)
        if domain is None or module.name in CORE_TABLE_MODULES:
            continue
        finder = _WriteFinder(owners, _aliases(module.tree, owners), _builders(module.tree))
        finder.visit(module.tree)
        for line, model, how in finder.found:
            owner = owners[model]
            if owner != domain:
                problems.append(f"{module.name}:{line} writes {model} (owned by {owner}): {how}")
    return sorted(set(problems))


def find_violations(root: Path) -> list[str]:
    modules = load_modules(root)
    problems: list[str] = []
    for name, module in modules.items():
        domain = domain_of(name)
        if domain == CORE:
            for imported in module.imports:
                other = domain_of(imported) if imported.startswith("kitchenasty.") else None
                if other is not None and other != CORE:
                    problems.append(f"{name} (core) imports the domain module {imported}")
        if domain not in NOT_DOMAINS and name.rsplit(".", 1)[-1] in PURE_LAYERS:
            via = reachable(modules, name)
            if "litestar" in via:
                chain = ["litestar"]
                while chain[-1] in via and via[chain[-1]] != name:
                    chain.append(via[chain[-1]])
                problems.append(f"{name} reaches Litestar: {' <- '.join(reversed(chain))} <- {name}")
    graph: dict[str, set[str]] = defaultdict(set)
    for name, module in modules.items():
        here = domain_of(name)
        if here is None or here in NOT_DOMAINS:
            continue
        for imported in module.imports:
            there = domain_of(imported) if imported.startswith("kitchenasty.") else None
            if there and there != here and there not in NOT_DOMAINS:
                graph[here].add(there)
    problems.extend(_cycles(graph))
    problems.extend(foreign_writes(modules))
    return problems


def _cycles(graph: dict[str, set[str]]) -> list[str]:
    found: list[str] = []
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycle = [*path[path.index(nxt) :], nxt]
                found.append("domain import cycle: " + " -> ".join(cycle))
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_the_package_keeps_its_seams() -> None:
    assert find_violations(PACKAGE_ROOT) == []


@pytest.mark.parametrize(
    ("module", "code", "expected"),
    [
        (
            "orders/service.py",
            "\nfrom kitchenasty.menu.models import MenuItem as _M\nfrom sqlalchemy import update as _u\n"
            "_SNEAKY = _u(_M).values(stock_qty=0)\n",
            "writes MenuItem (owned by menu)",
        ),
        ("core/money.py", "\nfrom kitchenasty.orders import schemas as _s\n", "(core) imports the domain module"),
        ("orders/checks.py", "\nimport litestar as _l\n", "kitchenasty.orders.checks reaches Litestar"),
        ("menu/checks.py", "\nfrom kitchenasty.orders import views as _v\n", "domain import cycle"),
    ],
)
def test_a_deliberate_violation_is_caught(tmp_path: Path, module: str, code: str, expected: str) -> None:
    copy = tmp_path / "kitchenasty"
    shutil.copytree(PACKAGE_ROOT, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "templates"))
    target = copy / module
    target.write_text((target.read_text() if target.exists() else "") + code)
    assert any(expected in problem for problem in find_violations(copy)), find_violations(copy)
