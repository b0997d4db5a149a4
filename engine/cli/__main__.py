"""``python -m soundalike.engine.cli``: the ``soundalike`` command."""

import sys

from .main import main

sys.exit(main())
