"""Which screening content files to read: the package's own, or a clinician's copies in a content folder.

A file found in the folder (``content_dir`` in the settings) is used instead of the packaged one of the
same name; a file not there comes from the package. Every file is validated at load, so a broken copy is
a ConfigError naming the file and the key.
"""

from dataclasses import dataclass
from pathlib import Path

from voicecare.errors import ConfigError
from voicecare.screening.advice import AdviceContent, load_advice
from voicecare.screening.findings import Screening, load_screening
from voicecare.screening.regions import Region, region
from voicecare.screening.return_visit import ReturnVisitContent, load_return_visit
from voicecare.screening.safety import SafetyContent, load_safety
from voicecare.screening.startback import StartBackTool, load_startback


@dataclass(frozen=True)
class ScreeningContent:
    """Everything a screening session reads from content files, loaded and checked."""

    screening: Screening
    region: Region
    safety: SafetyContent
    advice: AdviceContent
    startback: StartBackTool
    return_visit: ReturnVisitContent


def load_screening_content(region_id: str, folder: Path | None = None) -> ScreeningContent:
    """Load the screening content for ``region_id`` (us, uk or eu), preferring files in ``folder``."""
    if folder is not None and not folder.is_dir():
        raise ConfigError(f"content folder {folder} does not exist", "fix content_dir in your config")

    def own(name: str) -> Path | None:
        if folder is None or not (folder / name).is_file():
            return None
        return folder / name

    findings = own("findings.toml")
    screening = load_screening(findings)
    advice_file = own("advice.toml")
    advice = load_advice(advice_file, screening if findings or advice_file else None)
    return ScreeningContent(
        screening=screening,
        region=region(region_id, own("regions.toml")),
        safety=load_safety(own("safety.toml")),
        advice=advice,
        startback=load_startback(own("startback.toml")),
        return_visit=load_return_visit(
            own("return_visit.toml"),
            screening if findings or advice_file else None,
            advice if findings or advice_file else None,
        ),
    )
