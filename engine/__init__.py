"""soundalike's engine: profile a sample library, remember it, and answer what sounds alike."""

from .errors import AudioError, EngineError, IndexStoreError, NotInLibraryError
from .library import Library

__version__ = "0.1.0"

__all__ = [
    "AudioError",
    "EngineError",
    "IndexStoreError",
    "Library",
    "NotInLibraryError",
    "__version__",
]
