"""Layout: measuring text and planning the deck and the memo, with no file I/O."""
