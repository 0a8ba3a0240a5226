"""`photonest worker --queues`: which queues a name means, and a clear usage error for an unknown one."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from photonest.cli import main as cli
from photonest.jobs import stages
from photonest.jobs.runtime import UnknownQueue, resolve_queues


def test_queue_names_and_aliases() -> None:
    stages.register_builtin()
    assert resolve_queues(None) is None and resolve_queues(" , ") is None
    assert resolve_queues("ocr,faces,smart_search") == {"ocr", "faceDetection", "smartSearch"}
    assert resolve_queues("metadata, thumbnails,video") == {"metadataExtraction", "thumbnailGeneration",
                                                             "videoConversion"}
    assert resolve_queues(["thumbnailGeneration", "places"]) == {"thumbnailGeneration", "metadataExtraction"}
    with pytest.raises(UnknownQueue, match="gpu"):
        resolve_queues("ocr,gpu")


def test_unknown_queue_is_a_usage_error_before_anything_starts(tmp_path: Path) -> None:
    data = tmp_path / "data"
    r = CliRunner().invoke(cli, ["worker", "--data", str(data), "--queues", "thumbs"])
    assert r.exit_code == 2 and "unknown queue 'thumbs'" in r.output
    assert not data.exists()  # nothing created, no database migrated
    r = CliRunner().invoke(cli, ["worker", "--data", str(data), "--concurrency", "0"])
    assert r.exit_code == 2 and not data.exists()
