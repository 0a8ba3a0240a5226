"""Real test media from ../shared/media (see its MANIFEST.tsv)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

MEDIA = Path(__file__).resolve().parents[2].parent / "shared" / "media"
IMMICH = MEDIA / "immich-test-assets"


def media(rel: str) -> Path:
    path = MEDIA / rel
    if not path.exists():
        pytest.skip(f"test media missing: {rel}")
    return path


@pytest.fixture(autouse=True)
def _quiet_pillow_warnings() -> None:
    # Hostile files make Pillow warn ("Corrupt EXIF data", "Truncated File Read"); they are expected here.
    warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\..*")
