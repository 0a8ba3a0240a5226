"""A simulated Immich mobile app: what it sends to the sync endpoints and how it keeps its local copy.

Every line it receives is checked against the contract's schema for its entity type (tests/sync/schema.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import PASSWORD
from tests.sync.schema import validate

# SyncEntityType -> the schema of its data (the mobile app's _kResponseMap, sync_api.repository.dart).
DATA_SCHEMA = {
    "AuthUserV1": "SyncAuthUserV1", "UserV1": "SyncUserV1", "UserDeleteV1": "SyncUserDeleteV1",
    "PartnerV1": "SyncPartnerV1", "PartnerDeleteV1": "SyncPartnerDeleteV1",
    "AssetV1": "SyncAssetV1", "AssetV2": "SyncAssetV2", "AssetDeleteV1": "SyncAssetDeleteV1",
    "AssetExifV1": "SyncAssetExifV1", "AssetMetadataV1": "SyncAssetMetadataV1",
    "AssetMetadataDeleteV1": "SyncAssetMetadataDeleteV1",
    "PartnerAssetV1": "SyncAssetV1", "PartnerAssetV2": "SyncAssetV2", "PartnerAssetBackfillV1": "SyncAssetV1",
    "PartnerAssetBackfillV2": "SyncAssetV2", "PartnerAssetDeleteV1": "SyncAssetDeleteV1",
    "PartnerAssetExifV1": "SyncAssetExifV1", "PartnerAssetExifBackfillV1": "SyncAssetExifV1",
    "AlbumV1": "SyncAlbumV1", "AlbumV2": "SyncAlbumV2", "AlbumDeleteV1": "SyncAlbumDeleteV1",
    "AlbumUserV1": "SyncAlbumUserV1", "AlbumUserBackfillV1": "SyncAlbumUserV1",
    "AlbumUserDeleteV1": "SyncAlbumUserDeleteV1",
    "AlbumAssetCreateV1": "SyncAssetV1", "AlbumAssetCreateV2": "SyncAssetV2", "AlbumAssetUpdateV1": "SyncAssetV1",
    "AlbumAssetUpdateV2": "SyncAssetV2", "AlbumAssetBackfillV1": "SyncAssetV1", "AlbumAssetBackfillV2": "SyncAssetV2",
    "AlbumAssetExifCreateV1": "SyncAssetExifV1", "AlbumAssetExifUpdateV1": "SyncAssetExifV1",
    "AlbumAssetExifBackfillV1": "SyncAssetExifV1",
    "AlbumToAssetV1": "SyncAlbumToAssetV1", "AlbumToAssetBackfillV1": "SyncAlbumToAssetV1",
    "AlbumToAssetDeleteV1": "SyncAlbumToAssetDeleteV1",
    "MemoryV1": "SyncMemoryV1", "MemoryDeleteV1": "SyncMemoryDeleteV1", "MemoryToAssetV1": "SyncMemoryAssetV1",
    "MemoryToAssetDeleteV1": "SyncMemoryAssetDeleteV1", "UserMetadataV1": "SyncUserMetadataV1",
    "UserMetadataDeleteV1": "SyncUserMetadataDeleteV1", "AssetOcrV1": "SyncAssetOcrV1",
    "AssetOcrDeleteV1": "SyncAssetOcrDeleteV1",
    "PersonV1": "SyncPersonV1", "PersonDeleteV1": "SyncPersonDeleteV1", "AssetFaceV1": "SyncAssetFaceV1",
    "AssetFaceV2": "SyncAssetFaceV2", "AssetFaceDeleteV1": "SyncAssetFaceDeleteV1",
    "StackV1": "SyncStackV1", "StackDeleteV1": "SyncStackDeleteV1", "PartnerStackV1": "SyncStackV1",
    "PartnerStackBackfillV1": "SyncStackV1", "PartnerStackDeleteV1": "SyncStackDeleteV1",
    "SyncAckV1": "SyncAckV1", "SyncResetV1": "SyncResetV1",
    "SyncCompleteV1": "SyncCompleteV1",
}

# What the Immich app (v2/v3, sync_api.repository.dart) asks for against a current server.
APP_TYPES = ["AuthUsersV1", "UsersV1", "AssetsV2", "AssetExifsV1", "AssetMetadataV1", "PartnersV1",
             "PartnerAssetsV2", "PartnerAssetExifsV1", "AlbumsV2", "AlbumUsersV1", "AlbumAssetsV2",
             "AlbumAssetExifsV1", "AlbumToAssetsV1", "MemoriesV1", "MemoryToAssetsV1", "StacksV1",
             "PartnerStacksV1", "UserMetadataV1", "PeopleV1", "AssetFacesV2", "AssetOcrV1"]


@dataclass
class Line:
    type: str
    data: dict[str, Any]
    ack: str


@dataclass
class Phone:
    """The app's local database: assets, partner assets, exif, albums, links... keyed like the app keys them."""

    client: TestClient
    headers: dict[str, str]
    types: list[str] = field(default_factory=lambda: list(APP_TYPES))
    assets: dict[str, dict[str, Any]] = field(default_factory=dict)  # own and partners' (by id)
    exif: dict[str, dict[str, Any]] = field(default_factory=dict)
    albums: dict[str, dict[str, Any]] = field(default_factory=dict)
    album_users: set[tuple[str, str, str]] = field(default_factory=set)
    album_assets: set[tuple[str, str]] = field(default_factory=set)
    partners: set[tuple[str, str]] = field(default_factory=set)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    memories: dict[str, dict[str, Any]] = field(default_factory=dict)
    metadata: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    resets: int = 0

    def fetch(self, *, reset: bool = False, types: list[str] | None = None) -> list[Line]:
        body: dict[str, Any] = {"types": types or self.types}
        if reset:
            body["reset"] = True
        r = self.client.post("/api/sync/stream", json=body,
                             headers={**self.headers, "Accept": "application/jsonlines+json"})
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith("application/jsonlines+json")
        lines = []
        for raw in r.text.splitlines():
            obj = json.loads(raw)
            assert set(obj) == {"type", "data", "ack"}, obj
            assert isinstance(obj["ack"], str) and re.match(r"^[A-Za-z0-9]+\|", obj["ack"]), obj
            validate(DATA_SCHEMA[obj["type"]], obj["data"], where=obj["type"])
            lines.append(Line(obj["type"], obj["data"], obj["ack"]))
        return lines

    def ack(self, acks: list[str]) -> None:
        r = self.client.post("/api/sync/ack", json={"acks": acks}, headers=self.headers)
        assert r.status_code == 204, r.text

    def sync(self, *, reset: bool = False, batch: int = 3) -> list[Line]:
        """One sync as the app runs it: apply lines in batches of the same type, ack each batch's last line."""
        lines = self.fetch(reset=reset)
        assert lines and lines[-1].type in ("SyncCompleteV1", "SyncResetV1"), lines[-3:]
        i = 0
        while i < len(lines):
            j = i
            while j < len(lines) and lines[j].type == lines[i].type and j - i < batch:
                j += 1
            for ln in lines[i:j]:
                self.apply(ln)
            self.ack([lines[j - 1].ack])
            i = j
        return lines

    def apply(self, ln: Line) -> None:
        t, d = ln.type, ln.data
        if t == "SyncResetV1":
            self.resets += 1
            for store in (self.assets, self.exif, self.albums, self.users, self.memories, self.metadata):
                store.clear()
            self.album_users.clear()
            self.album_assets.clear()
            self.partners.clear()
        elif t in ("AssetV2", "AssetV1", "PartnerAssetV2", "PartnerAssetBackfillV2", "AlbumAssetCreateV2",
                   "AlbumAssetUpdateV2", "AlbumAssetBackfillV2"):
            self.assets[d["id"]] = d
        elif t in ("AssetDeleteV1", "PartnerAssetDeleteV1"):
            self.assets.pop(d["assetId"], None)
            self.exif.pop(d["assetId"], None)  # the app's local tables cascade from the asset
            self.metadata = {k: v for k, v in self.metadata.items() if k[0] != d["assetId"]}
            self.album_assets = {a for a in self.album_assets if a[1] != d["assetId"]}
        elif t.startswith(("AssetExif", "PartnerAssetExif", "AlbumAssetExif")):
            self.exif[d["assetId"]] = d
        elif t == "AlbumV2":
            self.albums[d["id"]] = d
        elif t == "AlbumDeleteV1":
            self.albums.pop(d["albumId"], None)
            self.album_users = {u for u in self.album_users if u[0] != d["albumId"]}
            self.album_assets = {a for a in self.album_assets if a[0] != d["albumId"]}
        elif t in ("AlbumUserV1", "AlbumUserBackfillV1"):
            self.album_users = {u for u in self.album_users if u[:2] != (d["albumId"], d["userId"])}
            self.album_users.add((d["albumId"], d["userId"], d["role"]))
        elif t == "AlbumUserDeleteV1":
            self.album_users = {u for u in self.album_users if u[:2] != (d["albumId"], d["userId"])}
        elif t in ("AlbumToAssetV1", "AlbumToAssetBackfillV1"):
            self.album_assets.add((d["albumId"], d["assetId"]))
        elif t == "AlbumToAssetDeleteV1":
            self.album_assets.discard((d["albumId"], d["assetId"]))
        elif t == "PartnerV1":
            self.partners.add((d["sharedById"], d["sharedWithId"]))
        elif t == "PartnerDeleteV1":
            self.partners.discard((d["sharedById"], d["sharedWithId"]))
        elif t in ("UserV1", "AuthUserV1"):
            self.users[d["id"]] = {**self.users.get(d["id"], {}), **d}
        elif t == "UserDeleteV1":
            self.users.pop(d["userId"], None)
        elif t == "MemoryV1":
            self.memories[d["id"]] = d
        elif t == "MemoryDeleteV1":
            self.memories.pop(d["memoryId"], None)
        elif t == "AssetMetadataV1":
            self.metadata[(d["assetId"], d["key"])] = d["value"]
        elif t == "AssetMetadataDeleteV1":
            self.metadata.pop((d["assetId"], d["key"]), None)

    def owned(self, owner_id: str) -> set[str]:
        return {i for i, a in self.assets.items() if a["ownerId"] == owner_id}


def sign_in(client: TestClient, email: str, *, cookie: bool = False) -> tuple[str, dict[str, str]]:
    """Log in as the app does; returns (user id, headers). cookie=True sends the token as immich_access_token."""
    r = client.post("/api/auth/login", json={"email": email, "password": PASSWORD},
                    headers={"User-Agent": "Immich_Android_1.140.0"})
    assert r.status_code == 201, r.text
    token = r.json()["accessToken"]
    client.cookies.clear()
    if cookie:
        return r.json()["userId"], {"Cookie": f"immich_access_token={token}"}
    return r.json()["userId"], {"Authorization": f"Bearer {token}"}
