"""The engine's own exceptions, under one root so callers can catch them all.

Everything a user can cause (a missing file, a file that is not audio, a bad
argument) surfaces as an :class:`EngineError` subclass with a message written
for that user; anything else is a bug and is allowed to propagate.
"""


class EngineError(Exception):
    """Root of every error the engine raises on purpose."""


class AudioError(EngineError):
    """A file could not be turned into audio we can profile (unreadable, corrupt, empty...)."""


class IndexStoreError(EngineError):
    """The library index is unusable (newer schema, corrupt file, wrong path)."""


class NotInLibraryError(EngineError):
    """A path was expected to be in the library index but is not."""
