"""Part of the sample consultation, copied to a folder for tests that run the main job."""

from __future__ import annotations

import shutil
from pathlib import Path

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
PARTS = (
    "sessions.yaml",
    "tcs-themes.yaml",
    "four_ps_exercise.xlsx",
    "notes/Corporate management team.xlsx",
    "emails/01_youth-charity.eml",
    "emails/09_resident-barton.eml",
)


def copy_sample_parts(folder: Path) -> Path:
    """Copy :data:`PARTS` of ``data/raw`` into ``folder`` (settings, register, exercise, a session, two emails)."""
    for part in PARTS:
        (folder / part).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(RAW / part, folder / part)
    return folder
