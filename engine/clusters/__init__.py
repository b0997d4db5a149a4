"""Clusters: grouping the library into kit-sized families of similar sounds
(``clustering``), naming them like a sample browser would (``names``), keeping them up to
date after each scan (``keeper``) and listing them (``listing``).
"""
