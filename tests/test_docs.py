"""Docs checked by tests (as sqlite-utils does): every CLI command and option is documented."""
from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.parser import build_parser

DOCS = Path(__file__).resolve().parents[1] / "docs"


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_and_option_is_in_cli_md() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    missing = []
    for name, sub in subcommands().items():
        if f"planledger {name}" not in text:
            missing.append(name)
        for action in sub._actions:
            for opt in action.option_strings:
                if opt.startswith("--") and opt != "--help" and opt not in text:
                    missing.append(f"{name} {opt}")
    assert missing == []


def test_progress_and_template_docs_exist() -> None:
    for name in ("progress.md", "templates.md", "cli.md"):
        assert (DOCS / name).stat().st_size > 1000, name
