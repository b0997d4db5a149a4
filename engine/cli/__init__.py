"""The ``soundalike`` command: everything the patches do, for people at a terminal.

``main`` (the entry point), ``parsers`` (every command's options), ``commands`` and
``serving`` (what each command does), ``terminal`` (how answers look on a terminal).
"""

from .main import main

__all__ = ["main"]
