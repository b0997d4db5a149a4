"""The catalogue of the index as it is now: built once, rebuilt when the index changes.

The front door (:class:`..library.Library`) and the cluster bookkeeping share one of these,
so a clustering swaps in a catalogue that knows its clusters without reloading the library.
"""

from __future__ import annotations

from ..sound.descriptors import DEFAULT_DESCRIPTOR, DESCRIPTORS, Descriptor, get_descriptor
from .catalogue import BUILD_THREADS, Catalogue
from .category_refresh import refresh_categories
from .store import IndexStore


class LiveCatalogue:
    """Holds the current :class:`.catalogue.Catalogue` of one index file."""

    def __init__(self, store: IndexStore, *, build_threads: int = BUILD_THREADS):
        """``build_threads``: threads a build of the catalogue uses beside its own (see
        :data:`.catalogue.BUILD_THREADS`; 0 in a process answering requests)."""
        self.store = store
        self.build_threads = build_threads
        self._catalogue: Catalogue | None = None
        self._built_for: str | None = None  # the library's descriptor name when it was built
        #: Sounds whose category a new category head changed when the index was opened.
        self.recategorised = refresh_categories(store, self.descriptor)

    @property
    def descriptor(self) -> Descriptor:
        """The descriptor the library was last scanned with (the default before any scan)."""
        return get_descriptor(self.store.get_meta("descriptor", DEFAULT_DESCRIPTOR))

    @property
    def search_descriptor(self) -> Descriptor:
        """The descriptor queries use: the one every sound has a profile of. During a switch
        (``scan --descriptor``, or an upgrade), the old one, for the whole library, until the
        scan that reprofiles the last sound switches (see :meth:`.store.IndexStore.finish_switch`):
        an interrupted switch never hides part of the library."""
        key = self.store.search_key()
        for descriptor in DESCRIPTORS.values():
            if descriptor.key == key:
                return descriptor
        # An index from before switches kept profiles, or a descriptor this version no longer
        # has: the library's own, or the one most sounds were profiled with.
        chosen = self.descriptor
        keys = self.store.descriptor_keys()
        if keys.get(chosen.key):
            return chosen
        stored = [d for d in DESCRIPTORS.values() if keys.get(d.key)]
        return max(stored, key=lambda d: keys[d.key]) if stored else chosen

    def get(self) -> Catalogue:
        """The in-memory library for queries, reloaded when the index has changed."""
        generation = self.store.get_meta("generation", "0")
        chosen = self.store.get_meta("descriptor", DEFAULT_DESCRIPTOR)
        current = self._catalogue
        if current is None or current.generation != generation or self._built_for != chosen:
            current = self.reload()
        return current

    def reload(self) -> Catalogue:
        """Build a fresh catalogue and swap it in (one reference assignment: atomic)."""
        # Which descriptor to search with costs a pass over the files table: asked only here,
        # when a catalogue is built, not on every query.
        self._built_for = self.store.get_meta("descriptor", DEFAULT_DESCRIPTOR)
        self._catalogue = Catalogue.load(self.store, self.search_descriptor,
                                         build_threads=self.build_threads)
        return self._catalogue

    def swap(self, catalogue: Catalogue | None) -> None:
        """Put in a catalogue made from the current one (``None``: build anew when asked)."""
        self._catalogue = catalogue

    def bump_generation(self) -> str:
        """Mark the index changed (inside a transaction): every reader reloads."""
        return self.store.bump_generation()
