"""Apps import in one direction (issue 8, item 4): core below both apps, contacts below myths.

Read from the source with ast, so a lazy import inside a function counts as much as one at the top.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    """Every absolute module a file imports, at any depth (relative ones stay in its package)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def offending_imports(package: str, forbidden: set[str]) -> list[str]:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"no Python files under {package}/"
    return [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files
        for name in sorted(imported_modules(path))
        if name.split(".")[0] in forbidden
    ]


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("contacts", {"myths"}), ("core", {"myths", "contacts"})],
)
def test_package_does_not_import_upward(package, forbidden):
    assert offending_imports(package, forbidden) == []


def test_the_check_sees_a_lazy_import(tmp_path):
    """The walk finds an import hidden in a method, as contacts/models.py once had."""
    module = tmp_path / "lazy.py"
    module.write_text("def save():\n    from myths.models import unique_slug\n")
    assert imported_modules(module) == {"myths.models"}
