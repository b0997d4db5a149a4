"""Preloaded first by the scan's fork server: importing it takes the current folder out of the
import path, before the server imports anything else (see :mod:`.safe_path`)."""

from .safe_path import drop_current_folder

drop_current_folder()
