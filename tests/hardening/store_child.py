"""A second program instance for the contention and disk-full tests, driven line by line.

Reads one JSON command per line on stdin and answers one JSON line on stdout:

- ``{"op": "open", "path": P}`` → ``{"read_only": bool, "reason": str | None}``
- ``{"op": "set", "code": C, "year": Y, "value": V, "note": N}`` → ``{"ok": true}`` or
  ``{"ok": false, "error": class name, "message": text}`` (never a traceback)
- ``{"op": "paste", "cells": [[C, Y, V], …]}`` → as ``set``
- ``{"op": "fsize", "limit": BYTES}``: no file may grow beyond BYTES (``RLIMIT_FSIZE``);
  SIGXFSZ is ignored so a write past it fails with EFBIG, as on a full disk
- ``{"op": "close"}`` → ``{"ok": true}``
"""
from __future__ import annotations

import json
import signal
import sys
from decimal import Decimal

from desktop.store import actions
from desktop.store.workspace import Workspace


def answer(payload: object) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def attempt(fn) -> dict:  # noqa: ANN001
    try:
        fn()
    except Exception as exc:  # the test asserts on the class and the message
        return {"ok": False, "error": type(exc).__name__, "message": getattr(exc, "message", str(exc))}
    return {"ok": True}


def main() -> None:
    ws: Workspace | None = None
    for line in sys.stdin:
        cmd = json.loads(line)
        op = cmd["op"]
        if op == "open":
            ws = Workspace.open(cmd["path"], user=cmd.get("user", "第二实例"))
            answer({"read_only": ws.read_only, "reason": ws.read_only_reason})
        elif op == "set":
            value = None if cmd["value"] is None else Decimal(cmd["value"])
            answer(attempt(lambda: actions.set_actual(ws, cmd["code"], cmd["year"], value, note=cmd.get("note"))))
        elif op == "paste":
            cells = [(c, y, None if v is None else Decimal(v)) for c, y, v in cmd["cells"]]
            answer(attempt(lambda: actions.paste_block(ws, cells)))
        elif op == "fsize":
            import resource

            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
            resource.setrlimit(resource.RLIMIT_FSIZE, (cmd["limit"], hard))
            answer({"ok": True})
        elif op == "close":
            if ws is not None:
                ws.close()
            answer({"ok": True})
        else:
            answer({"ok": False, "error": "unknown", "message": op})


if __name__ == "__main__":
    main()
