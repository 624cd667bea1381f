"""Static files of the desktop app (themes, icons), read with importlib.resources.

A package (not a loose folder) so the files are found the same way from a checkout, an installed
wheel and the PyInstaller bundle.
"""
