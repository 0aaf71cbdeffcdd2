"""Emergency numbers and care lines per region (content from regions.toml)."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from voicecare.content.reader import CONTENT_DIR, Table, read_table
from voicecare.errors import ConfigError

REGIONS_FILE = CONTENT_DIR / "regions.toml"
FIELDS = (
    "name",
    "emergency_number",
    "emergency_number_spoken",
    "urgent_line",
    "urgent_line_spoken",
    "crisis_line",
    "crisis_line_spoken",
)


@dataclass(frozen=True)
class Region:
    """One region's numbers, each as printed and as read aloud (``_spoken``)."""

    id: str
    name: str
    emergency_number: str
    emergency_number_spoken: str
    urgent_line: str
    urgent_line_spoken: str
    crisis_line: str
    crisis_line_spoken: str

    def fill(self, template: str, spoken: bool = False, **extra: str) -> str:
        """``template`` with {emergency_number} and {urgent_line} filled, printed or spoken forms."""
        number = self.emergency_number_spoken if spoken else self.emergency_number
        line = self.urgent_line_spoken if spoken else self.urgent_line
        return template.format(emergency_number=number, urgent_line=line, **extra)


def load_regions(path: Path | None = None) -> dict[str, Region]:
    """All regions by id, read and validated from regions.toml (the package's own when ``path`` is None)."""
    return _default_regions() if path is None else _parse(path)


def region(region_id: str, path: Path | None = None) -> Region:
    """The region ``region_id`` (us, uk or eu); ConfigError listing the valid ones when unknown."""
    regions = load_regions(path)
    if region_id not in regions:
        raise ConfigError(f"unknown region '{region_id}'", f"use one of: {', '.join(sorted(regions))}")
    return regions[region_id]


@cache
def _default_regions() -> dict[str, Region]:
    return _parse(REGIONS_FILE)


def _parse(path: Path) -> dict[str, Region]:
    root = read_table(path)
    root.only(["region"])
    regions = {}
    for region_id, table in root.named_tables("region").items():
        regions[region_id] = _region(region_id, table)
    if not regions:
        raise root.fail("region", "has no regions", "add [region.us] and the others")
    return regions


def _region(region_id: str, table: Table) -> Region:
    table.only(FIELDS)
    return Region(
        id=region_id,
        name=table.text("name"),
        emergency_number=table.text("emergency_number"),
        emergency_number_spoken=table.text("emergency_number_spoken"),
        urgent_line=table.text("urgent_line"),
        urgent_line_spoken=table.text("urgent_line_spoken"),
        crisis_line=table.text("crisis_line"),
        crisis_line_spoken=table.text("crisis_line_spoken"),
    )
