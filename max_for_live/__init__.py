"""The clients of soundalike's OSC bridge: a Max for Live device and Pure Data patches.

Shipped with the package so that `soundalike device` can build the Live device and copy
the Pd patches wherever the user wants them.
"""
