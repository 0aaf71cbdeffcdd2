"""Simulated people, rooms and audio for the demo, the benchmarks and the tests: helpers that drive the real
player and dialogue without a person at the microphone."""
