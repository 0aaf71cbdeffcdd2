"""voicecare: an offline voice assistant that talks a person through their back pain."""

__version__ = "0.1.0"
