"""One real photonest server for the uploader tests (each test uploads as its own fresh user)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.client.live import LiveServer, User, live_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("server")) as s:
        yield s


@pytest.fixture
def user(server: LiveServer) -> User:
    return server.new_user()


@dataclass
class Cli:
    """Runs `photonest upload ...` as a user would, with its own config and cache directories."""

    home: Path
    server: LiveServer
    user: User

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PHOTONEST_")}
        env.update(HOME=str(self.home), XDG_CACHE_HOME=str(self.home / "cache"),
                   PHOTONEST_CONFIG_DIR=str(self.home / "config"))
        return env

    def __call__(self, *args: str, auth: bool = True, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        extra = ["--server", self.server.url, "--key", self.user.api_key] if auth and args[:1] == ("upload",) else []
        return subprocess.run([sys.executable, "-m", "photonest.cli", *args, *extra], env=self.env,
                              capture_output=True, text=True, timeout=timeout, cwd=self.home)


@pytest.fixture
def cli(tmp_path: Path, server: LiveServer, user: User) -> Cli:
    home = tmp_path / "home"
    home.mkdir()
    return Cli(home, server, user)
