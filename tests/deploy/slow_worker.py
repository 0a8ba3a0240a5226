"""`photonest worker` whose thumbnails stage first sleeps SLOW_THUMBNAILS_SECONDS (env), so a test can kill the
worker in the middle of a job (tests/deploy/test_scale_out.py). Run as `python -m tests.deploy.slow_worker
--data DIR ...` (the `worker` command's options). The stage itself is the real one."""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from typing import Any

from photonest.cli import main
from photonest.jobs import stages
from photonest.jobs.registry import STAGES


def slowed() -> None:
    stages.register_builtin()
    real = STAGES[stages.THUMBNAILS]
    seconds = float(os.environ.get("SLOW_THUMBNAILS_SECONDS", "5"))

    def run(r: Any) -> Any:
        time.sleep(seconds)
        return real.run(r)

    STAGES[stages.THUMBNAILS] = dataclasses.replace(real, run=run)


if __name__ == "__main__":
    slowed()
    main(["worker", *sys.argv[1:]])
