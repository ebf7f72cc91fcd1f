"""``python -m workbench.cli``: the command line."""

from . import main

raise SystemExit(main())
