"""Themes: their model, the built-in set and the loading of user theme files."""
