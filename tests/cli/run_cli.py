"""`python run_cli.py ARGS…`: the vrgym CLI with the toy templates registered (for subprocess tests)."""

import sys

from tests.cli.cli_toys import register_toys
from vrgym.cli import main

register_toys()
sys.exit(main(sys.argv[1:]))
