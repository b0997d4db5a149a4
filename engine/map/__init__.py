"""The library map: every sound a point, near means similar (``layout``), the page or
picture that shows it (``page``), the data it shows (``data``) and a local server that plays
formats browsers cannot (``server``).
"""
