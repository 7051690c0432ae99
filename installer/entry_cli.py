"""Bundle entry point of the command line: `planledger COMMAND ...` (a console executable)."""
import multiprocessing
import sys

from desktop.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # `import` verifies large batches in worker processes
    sys.exit(main())
