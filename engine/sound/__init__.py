"""The sound itself: decoding a file, describing it (the hand-made analysis, the seed's
profile, the learned embedding and its instrument category) and fingerprinting it.

Pure functions of a file or a signal, with no index or library in sight: scan workers,
queries for files outside the library and training all call the same code. ``models/``
holds the shipped weights.
"""
