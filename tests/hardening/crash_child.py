"""Child process of the crash test: runs edits through ``desktop.store.actions`` until killed.

``python crash_child.py WORKSPACE SEED FIRST_ID`` opens the workspace and loops: pick an edit
(one typed cell, a pasted block, or the undo of its previous edit), print ``BEGIN`` with the
cells the edit will leave behind, run it, print ``ACK`` once the action has returned (the
transaction is committed). Each line is flushed before the next step, so the parent knows
exactly which edits were acknowledged and which one (at most) was in flight when it killed us.
Values are unique per edit (``1 + id / 10000``), so a half-applied paste could not hide.
"""
from __future__ import annotations

import json
import random
import sys
from decimal import Decimal

from desktop.domain.changes import Change
from desktop.store import actions
from desktop.store.workspace import Workspace

CODES = ("t-zl2-01", "t-zl2-02", "t-zl2-03", "t-zl2-04", "t-zl2-05")
YEARS = (2021, 2022, 2023, 2024, 2025)
CELLS = [(c, y) for c in CODES for y in YEARS]


def value_of(edit_id: int) -> Decimal:
    return Decimal(10000 + edit_id) / Decimal(10000)


def say(kind: str, payload: object) -> None:
    sys.stdout.write(f"{kind} {json.dumps(payload, ensure_ascii=False)}\n")
    sys.stdout.flush()


def main(path: str, seed: int, first_id: int) -> None:
    rng = random.Random(seed)
    ws = Workspace.open(path, user="崩溃测试")
    if ws.read_only:
        say("READONLY", ws.read_only_reason)
        return
    say("READY", {"pid_seed": seed})
    done: list[Change] = []
    edit_id = first_id
    while True:
        roll = rng.random()
        if roll < 0.15 and done:
            change = done.pop()
            inverse = change.inverse()
            cells = [[c.code, c.year, None if c.new is None or c.new.value is None else str(c.new.value)]
                     for c in inverse.cells]
            say("BEGIN", {"id": edit_id, "kind": "undo", "cells": cells})
            actions.apply_change(ws, inverse)
        elif roll < 0.55:
            code, year = rng.choice(CELLS)
            value = None if rng.random() < 0.1 else value_of(edit_id)
            say("BEGIN", {"id": edit_id, "kind": "set", "cells": [[code, year, None if value is None else str(value)]]})
            done.append(actions.set_actual(ws, code, year, value))
        else:
            block = rng.sample(CELLS, rng.randint(2, len(CELLS)))
            value = value_of(edit_id)
            say("BEGIN", {"id": edit_id, "kind": "paste", "cells": [[c, y, str(value)] for c, y in block]})
            done.append(actions.paste_block(ws, [(c, y, value) for c, y in block]))
        say("ACK", {"id": edit_id})
        edit_id += 1


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
