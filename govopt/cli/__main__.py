"""``python -m govopt.cli``."""

from govopt.cli import main

raise SystemExit(main())
