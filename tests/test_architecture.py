"""The dependency rule of DESIGN §2, enforced: Qt only in desktop/ui, a pure domain."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "desktop"
QT = ("PySide6", "pyqtgraph", "shiboken6")


def imports(path: Path) -> set[str]:
    """Every module a file imports (absolute names; relative ones resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    rel_parts = path.relative_to(ROOT).with_suffix("").parts
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = list(rel_parts[:-1])  # a module's package; for __init__ the package itself
                base = package[: len(package) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            names.add(mod)
    return names


def files(sub: str) -> list[Path]:
    return sorted((PACKAGE / sub).rglob("*.py")) if sub else sorted(PACKAGE.glob("*.py"))


def test_qt_only_under_ui() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "ui" in path.relative_to(PACKAGE).parts[:1]:
            continue
        bad = {m for m in imports(path) if m.split(".")[0] in QT}
        if bad:
            offenders.append(f"{path.relative_to(ROOT)}: {sorted(bad)}")
    assert offenders == []


def test_domain_is_pure() -> None:
    """The domain imports nothing of the project outside itself, and no I/O-heavy modules."""
    forbidden_roots = {"sqlite3", "sqlite_utils", "openpyxl", "reportlab", "resources", "db", *QT}
    offenders = []
    for path in files("domain"):
        for mod in imports(path):
            root = mod.split(".")[0]
            if root in forbidden_roots or (mod.startswith("desktop.") and not mod.startswith("desktop.domain")):
                offenders.append(f"{path.relative_to(ROOT)} imports {mod}")
    assert offenders == []


# The one door from the CLI into the UI: ``planledger chart`` renders the screen's pyqtgraph
# chart offscreen (PNG / SVG need Qt; reportlab's bitmap renderer needs pycairo, which has no
# Linux wheel). The import sits inside ``cmd_chart`` so no other command loads Qt.
CLI_UI_DOOR = {"desktop/cli/chart_command.py": {"desktop.ui.charts.export"}}


def test_lower_layers_never_import_ui() -> None:
    offenders = []
    for sub in ("domain", "store", "exchange", "reports", "cli"):
        for path in files(sub):
            allowed = CLI_UI_DOOR.get(path.relative_to(ROOT).as_posix(), set())
            offenders += [f"{path.relative_to(ROOT)} imports {m}" for m in imports(path)
                          if m.startswith("desktop.ui") and m not in allowed]
    assert offenders == []


def test_the_cli_door_to_the_ui_is_lazy() -> None:
    """The chart command imports the UI only inside its function, never at module level, and
    building the parser or importing the command modules loads no Qt."""
    import subprocess
    import sys

    for rel in CLI_UI_DOOR:
        tree = ast.parse((ROOT / rel).read_text(encoding="utf-8"))
        top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
        assert not any((getattr(n, "module", "") or "").startswith(("desktop.ui", "PySide6")) for n in top)
    code = ("import sys; from desktop.cli.parser import build_parser; build_parser();"
            "import desktop.cli.chart_command, desktop.cli.commands;"
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'desktop.ui'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_the_checker_sees_imports() -> None:
    """Guard against a checker that passes because it finds nothing."""
    found = imports(PACKAGE / "ui" / "app.py")
    assert any(m.startswith("PySide6") for m in found)
    assert "desktop.domain.model" in imports(PACKAGE / "domain" / "changes.py")
