"""Child of ``test_batch_crash``: imports a folder of submission files into a workspace,
printing ``DONE n`` once the first ``n`` files are committed (the progress callback runs
before file ``n`` is imported), until it is killed."""
from __future__ import annotations

import sys
from pathlib import Path

from desktop.exchange import import_submissions
from desktop.store.workspace import Workspace


def main() -> None:
    ws_path, inbox = Path(sys.argv[1]), Path(sys.argv[2])
    with Workspace.open(ws_path, user="市汇总员") as ws:
        print("READY", flush=True)
        import_submissions(ws, [inbox], progress=lambda n, total, path: print(f"DONE {n}", flush=True))
        print("FINISHED", flush=True)


if __name__ == "__main__":
    main()
