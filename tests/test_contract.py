"""Our OpenAPI document against Immich's contract; docs/api-compatibility.md is generated from the comparison.

Regenerate the table with `make api-docs` (or `.venv/bin/python -m tests.contract`).
"""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI, Query, Response
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from photonest.api.deps import auth
from photonest.api.dto import immich as dto
from photonest.api.routing import ImmichAPI, Router
from photonest.library.auth import AuthContext
from tests import contract


def Auth(permission: str | None = None, *, admin: bool = False) -> Any:
    """The route's auth annotation, built at run time (tests only: mypy cannot read a call in an annotation)."""
    return Annotated[AuthContext, Depends(auth(permission, admin=admin))]


@pytest.fixture(scope="module")
def immich() -> dict[str, Any]:
    return contract.load_contract()


@pytest.fixture(scope="module")
def app() -> FastAPI:
    return contract.build_app()


@pytest.fixture(scope="module")
def report(app: FastAPI, immich: dict[str, Any]) -> contract.Report:
    return contract.check(app, immich)


def test_every_implemented_operation_matches_the_contract(report: contract.Report) -> None:
    assert not report.problems, (
        "our API drifts from Immich's contract (fix the route, or see tests/contract.py for PARTIAL and "
        "EXTRA_OPERATIONS):\n" + report.problem_text())


def test_compatibility_table_is_current(report: contract.Report, immich: dict[str, Any]) -> None:
    """docs/api-compatibility.md is what the checker writes; a stale file is rewritten here, and the test fails."""
    expected = contract.render(report, immich)
    current = contract.DOC_PATH.read_text() if contract.DOC_PATH.exists() else ""
    if current != expected:
        contract.DOC_PATH.write_text(expected)
        pytest.fail("docs/api-compatibility.md was stale; it has been regenerated (same as `make api-docs`): "
                    "review and commit it")


def test_foundation_operations_are_implemented(report: contract.Report) -> None:
    status = {r.operation_id: r.status for r in report.rows}
    for op_id in ("login", "signUpAdmin", "getMyUser", "createUserAdmin", "createApiKey", "getSessions",
                  "pingServer", "getServerConfig", "createProfileImage", "getProfileImage"):
        assert status[op_id] in ("implemented", "partial"), op_id
    assert len(report.rows) == sum(report.count(s) for s in ("implemented", "partial", "missing", "drift"))


def test_spec_is_served_without_fastapi_artefacts(app: FastAPI) -> None:
    spec = TestClient(app).get("/api/spec.json").json()  # no lifespan: the document needs no database
    assert spec["paths"]["/api/users/me"]["get"]["operationId"] == "getMyUser"
    codes = {code for item in spec["paths"].values() for op in item.values() for code in op["responses"]}
    assert "422" not in codes
    names = set(spec["components"]["schemas"])
    assert not {n for n in names if n.startswith("Body_") or "__" in n or n.endswith(("-Input", "-Output"))}
    assert "HTTPValidationError" not in names and "CreateProfileImageDto" in names


# --------------------------------------------------------------------------------------------------- the checker
class ServerPingResponse(BaseModel):
    """Deliberately wrong: Immich's ServerPingResponse has `res`, not `pong`."""

    pong: Annotated[str, Field(description="wrong field")]


def _drifting_app() -> FastAPI:
    """An app whose operations each get one thing wrong (and one that gets everything right)."""
    users, server, timeline, albums, misc = (Router(prefix=p, tags=[t]) for p, t in (
        ("/users", "Users"), ("/server", "Server"), ("/timeline", "Timeline"), ("/albums", "Albums"),
        ("/misc", "Misc")))

    @users.get("/me", response_model=dto.UserResponseDto, operation_id="getMe")
    def get_me(ctx: Auth()) -> dict[str, Any]:  # wrong operationId, response schema, no permission
        return {}

    @users.get("/{id}", response_model=dto.UserResponseDto, operation_id="getUser")
    def get_user(id: str) -> dict[str, Any]:  # public, but Immich requires auth
        return {}

    @server.get("/statistics", response_model=dto.ServerStatsResponseDto, operation_id="getServerStatistics")
    def statistics(ctx: Auth("server.statistics")) -> dict[str, Any]:  # not admin-only
        return {}

    @server.get("/ping", response_model=ServerPingResponse, operation_id="pingServer")
    def ping(ctx: Auth()) -> dict[str, Any]:  # authenticated, but public in Immich; wrong schema shape
        return {}

    @server.get("/version", response_model=dto.ServerVersionResponseDto, operation_id="getServerVersion")
    def version() -> dict[str, Any]:  # correct in every way
        return {}

    @timeline.get("/bucket", response_model=list[dto.TimeBucketAssetResponseDto], operation_id="getTimeBucket")
    def bucket(ctx: Auth("asset.read"), sort: str = Query("x")) -> list[dict[str, Any]]:
        return []  # required timeBucket missing, `sort` is not Immich's, and the response is not an array

    @albums.post("", response_model=dto.AlbumResponseDto, operation_id="createAlbum")
    def create_album(body: dto.SignUpDto, ctx: Auth("album.create")) -> dict[str, Any]:
        return {}  # 200 instead of 201; the body schema is the wrong one

    @misc.delete("/thing", status_code=204, operation_id="deleteThing")
    def delete_thing(ctx: Auth()) -> Response:  # not an Immich operation, not allow-listed
        return Response(status_code=204)

    @misc.get("/secret", include_in_schema=False)
    def secret() -> dict[str, Any]:  # served under /api, hidden from the spec, not allow-listed
        return {}

    @server.get("/features", include_in_schema=False)
    def features() -> dict[str, Any]:  # an Immich operation, hidden from the spec
        return {}

    app = FastAPI()  # a plain FastAPI: its 422 responses and HTTPValidationError are reported too
    for r in (users, server, timeline, albums, misc):
        app.include_router(r, prefix="/api")
    return app


def test_checker_reports_each_drift(immich: dict[str, Any]) -> None:
    report = contract.check(_drifting_app(), immich, partial={"getAlbumInfo": "gone"},
                            extra_operations={("POST", "/api/upload"): "tus"})
    p = report.problems

    def has(op: str, *fragments: str) -> None:
        assert op in p, f"{op} not reported; got {sorted(p)}"
        for fragment in fragments:
            assert any(fragment in problem for problem in p[op]), f"{op}: no {fragment!r} in {p[op]}"

    has("GET /api/users/me", "operationId 'getMe', contract has 'getMyUser'",
        "200 response ref:UserResponseDto, contract has ref:UserAdminResponseDto", "permission None")
    has("GET /api/users/{id}", "is public, but the contract requires auth")
    has("GET /api/server/statistics", "admin_only=False")
    has("GET /api/server/ping", "requires auth, but the contract makes it public",
        "schema ServerPingResponse: properties missing ['res']", "properties not in the contract ['pong']")
    has("GET /api/timeline/bucket", "query parameter 'timeBucket' (required) is missing",
        "query parameter 'sort' is not in the contract", "200 response array<ref:TimeBucketAssetResponseDto>")
    has("POST /api/albums", "success status ['200'], contract has ['201']",
        "request body ref:SignUpDto, contract has ref:CreateAlbumDto", "422")
    has("DELETE /api/misc/thing", "not in the Immich contract", "EXTRA_OPERATIONS")
    has("GET /api/misc/secret", "neither in the Immich contract nor in EXTRA_OPERATIONS")
    has("GET /api/server/features", "left out of /api/spec.json")
    has("POST /api/upload", "listed in EXTRA_OPERATIONS but not served")
    has("PARTIAL getAlbumInfo", "listed in PARTIAL but not served")
    has("SCHEMA HTTPValidationError", "FastAPI-generated")
    assert "GET /api/server/version" not in p, p.get("GET /api/server/version")

    rows = {r.operation_id: r for r in report.rows}
    assert rows["getServerVersion"].status == "implemented"
    assert rows["getMyUser"].status == "drift" and "operationId" in rows["getMyUser"].note
    assert rows["getAlbumInfo"].status == "missing"


def test_checker_compares_nested_schemas_and_nullability(immich: dict[str, Any]) -> None:
    class UserLicense(BaseModel):  # referenced from UserAdminResponseDto; Immich's has more, all required
        activationKey: str | None = None

    class UserAdminResponseDto(dto.UserAdminResponseDto):
        license: UserLicense | None = None  # type: ignore[assignment]
        email: str | None  # type: ignore[assignment]  # required by Immich, must never be null

    router = Router(prefix="/users", tags=["Users"])

    @router.get("/me", response_model=UserAdminResponseDto, operation_id="getMyUser")
    def get_me(ctx: Auth("user.read")) -> dict[str, Any]:
        return {}

    app = ImmichAPI()
    app.include_router(router, prefix="/api")
    problems = contract.check(app, immich, partial={}, extra_operations={}).problems["GET /api/users/me"]
    assert any("schema UserLicense: properties missing" in x for x in problems), problems
    assert any("UserLicense: contract requires" in x for x in problems), problems
    assert any("UserAdminResponseDto.email: may be null" in x for x in problems), problems


def test_optional_parameters_we_ignore_make_an_operation_partial(immich: dict[str, Any]) -> None:
    router = Router(prefix="/admin/users", tags=["Users (admin)"])

    @router.get("", response_model=list[dto.UserAdminResponseDto], operation_id="searchUsersAdmin")
    def search(ctx: Auth("adminUser.read", admin=True), withDeleted: bool = False) -> list[dict[str, Any]]:
        return []  # no `id` filter

    app = ImmichAPI()
    app.include_router(router, prefix="/api")
    report = contract.check(app, immich, partial={}, extra_operations={})
    assert not report.problems, report.problem_text()
    row = next(r for r in report.rows if r.operation_id == "searchUsersAdmin")
    assert row.status == "partial" and "query parameter 'id'" in row.note
