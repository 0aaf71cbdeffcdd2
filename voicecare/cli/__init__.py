"""The ``voicecare`` command line: parsing, dispatch, and turning errors into one-line messages."""
