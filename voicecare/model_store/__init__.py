"""Vosk models on disk: the manifest of downloadable models, where models are, and their download."""
