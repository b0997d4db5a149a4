"""The index: the SQLite file that is the one truth about the library (``store``, its
``migrations``, ``storage_faults`` in plain words, ``status``), and the in-memory snapshot
queries read (``catalogue`` with its ``feature_space`` and ``neighbours`` structure, kept
current by ``live``; ``probabilities`` derived from it).
"""
