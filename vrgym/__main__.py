"""`python -m vrgym …`: the same command line as the `vrgym` console script."""

from vrgym.cli import main

raise SystemExit(main())
