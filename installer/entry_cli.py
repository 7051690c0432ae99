"""Bundle entry point of the command line: `planledger COMMAND ...` (a console executable)."""
import sys

from desktop.cli import main

sys.exit(main())
