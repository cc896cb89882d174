"""The menu's own seams (DESIGN §2): `menu.queries` is the only module that writes the menu's tables, and no menu
module grows past 600 lines. Read from the source with the boundary test's write finder."""

from __future__ import annotations

from tests.core.test_boundaries import PACKAGE_ROOT, _aliases, _builders, _WriteFinder, load_modules, table_owners

MENU_QUERIES = "kitchenasty.menu.queries"
MAX_LINES = 600


def test_only_menu_queries_writes_the_menu_tables() -> None:
    modules = load_modules(PACKAGE_ROOT)
    owners = table_owners(modules)
    writes = []
    for module in modules.values():
        if module.name == MENU_QUERIES:
            continue
        finder = _WriteFinder(owners, _aliases(module.tree, owners), _builders(module.tree))
        finder.visit(module.tree)
        writes += [
            f"{module.name}:{line} {how} on {model}" for line, model, how in finder.found if owners[model] == "menu"
        ]
    assert writes == []


def test_no_menu_module_is_over_600_lines() -> None:
    sizes = {
        path.name: len(path.read_text(encoding="utf-8").splitlines()) for path in (PACKAGE_ROOT / "menu").glob("*.py")
    }
    assert {name: lines for name, lines in sizes.items() if lines > MAX_LINES} == {}
