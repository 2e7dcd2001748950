"""Renderers: translate a plan into a file, deciding nothing."""
