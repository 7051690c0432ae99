"""Runs a parsed command and turns errors into Chinese messages and exit codes."""
from __future__ import annotations

import argparse
import os
import sys
import traceback

from desktop.domain.errors import Ambiguous, FileRefused, PlanLedgerError

OK, PROBLEMS, REFUSED, BAD_FILE, INTERNAL = 0, 1, 2, 3, 70


def say(message: str) -> None:
    """A message for the user: stderr, so stdout stays clean for --json."""
    print(message, file=sys.stderr)


def existing(*paths: object) -> set[str]:
    """The given output paths that are files now (before a command writes them)."""
    from pathlib import Path

    return {str(Path(p)) for p in paths if p is not None and Path(str(p)).is_file()}


def say_kept(before: set[str], written: object) -> None:
    """Name the backup kept of each written file that existed before (``store.outputs``)."""
    from pathlib import Path

    from desktop.store.outputs import latest_backup

    for path in written:  # type: ignore[attr-defined]
        if str(Path(path)) in before:
            backup = latest_backup(Path(path))
            if backup is not None:
                say(f"原有的“{Path(path).name}”已保留为备份“{backup.name}”。")


def run(args: argparse.Namespace) -> int:
    handler = find_handler(args.command)
    try:
        return handler(args)
    except FileRefused as exc:
        say(f"错误：{exc.message}")
        return BAD_FILE
    except Ambiguous as exc:
        say(f"错误：{exc.message}")
        for c in exc.candidates:
            say(f"  {c}")
        return REFUSED
    except PlanLedgerError as exc:
        say(f"错误：{exc.message}")
        return REFUSED
    except KeyboardInterrupt:
        say("已中断。")
        return 130
    except BrokenPipeError:
        return OK
    except OSError as exc:  # a disk, a permission, a path: the user's machine, not a bug
        from desktop.store.outputs import reason

        where = f"“{exc.filename}”" if exc.filename else ""
        say(f"错误：无法读写文件{where}：{reason(exc)}")
        return BAD_FILE
    except Exception:  # a bug, not a user's mistake: keep the details out of the way
        if os.environ.get("PLANLEDGER_DEBUG"):
            raise
        log = _write_crash_log()
        say(f"内部错误：程序遇到意外问题，详情已写入 {log}。请将该文件发给技术支持。")
        return INTERNAL


COMMAND_MODULES = ("commands", "exchange_commands", "definition_commands", "chart_command", "intake_commands",
                   "collect_commands", "split_command")
"""Modules of ``desktop.cli`` holding ``cmd_<name>`` functions, one group of commands each."""


def find_handler(command: str):  # type: ignore[no-untyped-def]
    import importlib

    name = "cmd_" + command.replace("-", "_")
    for module in COMMAND_MODULES:
        try:
            mod = importlib.import_module(f"desktop.cli.{module}")
        except ModuleNotFoundError as exc:
            if exc.name == f"desktop.cli.{module}":
                continue
            raise
        if hasattr(mod, name):
            return getattr(mod, name)
    raise LookupError(f"no handler for command {command!r}")


def _write_crash_log() -> str:
    import tempfile
    from datetime import datetime

    path = os.path.join(tempfile.gettempdir(), f"planledger-error-{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.log")
    with open(path, "w", encoding="utf-8") as fh:
        traceback.print_exc(file=fh)
    return path
