"""Allow ``python -m stancemark``."""

from stancemark.cli import main

raise SystemExit(main())
