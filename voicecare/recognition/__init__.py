"""Speech recognition behind one streaming interface, with a grammar per listening turn."""
