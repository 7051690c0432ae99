"""Bundle entry point of the window: `planledger-gui [WORKSPACE] [--screenshot OUT.png]`.

On Windows this executable has no console (PyInstaller ``console=False``), so ``sys.stdout`` and
``sys.stderr`` are None and any print (``--version``, ``--help``, an error of ``--screenshot``)
would raise. Started from a command prompt, attach to that console; otherwise discard output.
"""
import os
import sys


def _console_streams() -> None:
    if sys.stdout is not None and sys.stderr is not None:
        return
    stream = None
    if sys.platform == "win32":
        try:
            import ctypes

            if ctypes.windll.kernel32.AttachConsole(-1):  # ATTACH_PARENT_PROCESS
                stream = open("CONOUT$", "w", encoding="utf-8", errors="replace")
        except OSError:
            stream = None
    if stream is None:
        stream = open(os.devnull, "w", encoding="utf-8")
    if sys.stdout is None:
        sys.stdout = stream
    if sys.stderr is None:
        sys.stderr = stream


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # 导入报送文件 verifies large batches in worker processes
    _console_streams()

    from desktop.__main__ import main

    sys.exit(main())
