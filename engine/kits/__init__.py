"""Kits: a playable kit around reference sounds, one sound per role (kick, snare, hats,
cymbals, toms...) on the General MIDI note a Drum Rack expects (``build``).
"""
