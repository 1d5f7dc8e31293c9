"""`python run_cli.py ARGS…`: the vrgym CLI with the toy templates registered (for subprocess tests)."""

import sys

import tests.cli.cli_toys  # noqa: F401  (registers the toys)
from vrgym.cli import main

sys.exit(main(sys.argv[1:]))
