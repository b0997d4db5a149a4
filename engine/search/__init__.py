"""Answers about single sounds: the library's most similar samples for any file, a file's
cluster-mates (``similar``), and near-identical copies (``duplicates``).

Pure functions of a catalogue snapshot, so the OSC bridge can answer from any thread.
"""
