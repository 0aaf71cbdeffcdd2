"""Domain errors. Each one names the problem and how to fix it; only the CLI turns them into exit codes."""


class VoicecareError(Exception):
    """Base for every error a person can fix: ``problem`` says what is wrong, ``fix`` what to do."""

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(f"{problem}: {fix}")
        self.problem = problem
        self.fix = fix

    def one_line(self) -> str:
        """The message the CLI prints: problem and fix on a single line."""
        return f"{self.problem}. {self.fix}".replace("\n", " ")


class AudioFileError(VoicecareError):
    """An audio file is missing, empty, truncated, or in a format voicecare cannot read."""


class AudioDeviceError(VoicecareError):
    """No usable sound device, or the one asked for does not exist."""


class ModelError(VoicecareError):
    """A speech model is missing, broken, or could not be downloaded."""


class EngineError(VoicecareError):
    """A recognition or synthesis engine is unknown or cannot start."""


class VoiceNotFound(VoicecareError):
    """The synthesiser has no voice by the name asked for."""


class ConfigError(VoicecareError):
    """A config or content file cannot be read or fails validation."""
