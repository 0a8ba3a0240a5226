"""The real Immich CLI (npm @immich/cli, pinned by immich-cli/package-lock.json) and a Node 22 to run it.

@immich/cli 3.2.2 refuses Node 20 (the machine's), so the npm package `node` provides Node 22 next to it.
Both are installed once with `npm ci` into ~/.cache/photonest-tests/npm/<hash of the lockfile>
($PHOTONEST_TEST_CACHE overrides ~/.cache/photonest-tests); later runs reuse them. When npm or the registry
is unavailable the fixture fails loudly: a compatibility test that silently skips proves nothing.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).parent / "immich-cli"
CLI_VERSION = "3.2.2"
NODE_MAJOR = "v22."


def cache_root() -> Path:
    explicit = os.environ.get("PHOTONEST_TEST_CACHE")
    return Path(explicit) if explicit else Path.home() / ".cache" / "photonest-tests"


@dataclass(frozen=True)
class ImmichCli:
    node: Path
    script: Path

    def command(self, *args: str) -> list[str]:
        # Run the CLI's entry script with Node 22 directly: its shebang would find the machine's Node 20.
        return [str(self.node), str(self.script), *args]


def _installed(target: Path) -> ImmichCli | None:
    node = target / "node_modules" / "node" / "bin" / "node"
    script = target / "node_modules" / "@immich" / "cli" / "bin" / "immich"
    if not (target / ".installed").exists() or not node.exists() or not script.exists():
        return None
    return ImmichCli(node, script)


def _install(target: Path) -> ImmichCli:
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is not installed: the Immich CLI compatibility test needs Node.js and npm "
                    "(Debian: apt-get install nodejs npm)", pytrace=False)
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy(HERE / name, target / name)
    try:
        r = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=target,
                           capture_output=True, text=True, timeout=900)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"npm ci of @immich/cli@{CLI_VERSION} timed out after {e.timeout} s "
                    "(is registry.npmjs.org reachable?)", pytrace=False)
    if r.returncode != 0:
        pytest.fail(f"npm ci of @immich/cli@{CLI_VERSION} and node@22 failed (exit {r.returncode}); "
                    f"is registry.npmjs.org reachable?\n{r.stdout}\n{r.stderr}", pytrace=False)
    (target / ".installed").touch()
    cli = _installed(target)
    if cli is None:
        pytest.fail(f"npm ci succeeded but left no Node 22 binary or Immich CLI in {target} (the `node` package "
                    f"downloads its binary in a preinstall script: were install scripts disabled?)\n{r.stderr}",
                    pytrace=False)
    return cli


@pytest.fixture(scope="session")
def immich_cli() -> Iterator[ImmichCli]:
    lock = (HERE / "package.json").read_bytes() + (HERE / "package-lock.json").read_bytes()
    root = cache_root() / "npm"
    root.mkdir(parents=True, exist_ok=True)
    target = root / f"immich-cli-{CLI_VERSION}-{hashlib.sha256(lock).hexdigest()[:12]}"
    with (root / ".lock").open("w") as lockfile:
        fcntl.flock(lockfile, fcntl.LOCK_EX)  # parallel test runs install once
        cli = _installed(target) or _install(target)
    version = subprocess.run([str(cli.node), "--version"], capture_output=True, text=True)
    if not version.stdout.startswith(NODE_MAJOR):
        (target / ".installed").unlink(missing_ok=True)
        pytest.fail(f"{cli.node} is not Node 22: {version.stdout}{version.stderr}", pytrace=False)
    out = subprocess.run(cli.command("--version"), capture_output=True, text=True)
    if out.returncode != 0 or out.stdout.strip() != CLI_VERSION:
        (target / ".installed").unlink(missing_ok=True)
        pytest.fail(f"the Immich CLI does not run: {out.stdout}{out.stderr}", pytrace=False)
    yield cli
