"""Notifications: an admin sends, the user lists (filters), reads, marks read/unread, deletes; the server notifies
album invitations and failed backups. Bad input is a 400 that changes nothing. Both databases."""

from __future__ import annotations

import shutil

from fastapi.testclient import TestClient

from photonest.config import Settings
from tests.conftest import Account, make_user
from tests.jobs.conftest import jobs_of

N = "/api/notifications"


def _send(client: TestClient, admin: Account, user: Account, title: str, **extra: object) -> dict[str, object]:
    r = client.post("/api/admin/notifications", headers=admin.headers, json={"userId": user.id, "title": title,
                                                                              **extra})
    assert r.status_code == 201, r.text
    return dict(r.json())


def _titles(client: TestClient, who: Account, **params: object) -> list[str]:
    r = client.get(N, headers=who.headers, params=params)
    assert r.status_code == 200, r.text
    return [n["title"] for n in r.json()]


def test_send_list_read_delete(client: TestClient, admin: Account, alice: Account) -> None:
    first = _send(client, admin, alice, "Welcome")
    assert first["type"] == "Custom" and first["level"] == "info" and "readAt" not in first
    assert str(first["createdAt"]).endswith("Z")
    second = _send(client, admin, alice, "Disk", level="warning", type="SystemMessage",
                   description="Disk 90% full", data={"free": 10})
    assert second["description"] == "Disk 90% full" and second["data"] == {"free": 10}
    assert _titles(client, alice) == ["Disk", "Welcome"]  # newest first
    assert _titles(client, alice, level="warning") == ["Disk"]
    assert _titles(client, alice, type="Custom") == ["Welcome"]
    assert _titles(client, alice, id=first["id"]) == ["Welcome"]
    assert _titles(client, admin) == []

    r = client.put(f"{N}/{first['id']}", headers=alice.headers, json={"readAt": "2024-05-01T10:00:00.000Z"})
    assert r.status_code == 200 and r.json()["readAt"].startswith("2024-05-01T10:00:00")
    assert _titles(client, alice, unread=True) == ["Disk"]
    assert _titles(client, alice, unread=False) == ["Welcome"]
    r = client.put(f"{N}/{first['id']}", headers=alice.headers, json={"readAt": None})  # unread again
    assert r.status_code == 200 and "readAt" not in r.json()
    r = client.put(N, headers=alice.headers, json={"ids": [first["id"], second["id"]],
                                                   "readAt": "2024-06-01T00:00:00Z"})
    assert r.status_code == 204 and _titles(client, alice, unread=True) == []
    assert client.get(f"{N}/{second['id']}", headers=alice.headers).json()["readAt"].startswith("2024-06-01")

    assert client.delete(f"{N}/{first['id']}", headers=alice.headers).status_code == 204
    assert client.get(f"{N}/{first['id']}", headers=alice.headers).status_code == 400
    assert client.request("DELETE", N, headers=alice.headers, json={"ids": [second["id"]]}).status_code == 204
    assert _titles(client, alice) == []


def test_bad_input_and_admin_only(client: TestClient, admin: Account, alice: Account) -> None:
    n = _send(client, admin, alice, "Keep")
    for body in ({"userId": alice.id, "title": ""}, {"userId": alice.id}, {"userId": alice.id, "title": "x",
                                                                           "level": "fatal"},
                 {"userId": "00000000-0000-4000-8000-000000000000", "title": "x"},
                 {"userId": alice.id, "title": "x" * 501}):
        r = client.post("/api/admin/notifications", headers=admin.headers, json=body)
        assert r.status_code == 400 and r.json()["statusCode"] == 400, (body, r.text)
    r = client.post("/api/admin/notifications", headers=alice.headers, json={"userId": alice.id, "title": "x"})
    assert r.status_code == 403
    assert client.put(N, headers=alice.headers, json={"ids": []}).status_code == 400
    assert client.request("DELETE", N, headers=alice.headers, json={"ids": ["nope"]}).status_code == 400
    assert client.get(N, headers=alice.headers, params={"type": "Nope"}).status_code == 400
    assert _titles(client, alice) == ["Keep"] and "readAt" not in client.get(
        f"{N}/{n['id']}", headers=alice.headers).json()


def test_album_invitation(client: TestClient, admin: Account, alice: Account, bob: Account) -> None:
    r = client.post("/api/albums", headers=alice.headers,
                    json={"albumName": "Trip", "albumUsers": [{"userId": bob.id, "role": "editor"}]})
    album = r.json()["id"]
    got = client.get(N, headers=bob.headers, params={"type": "AlbumInvite"}).json()
    assert len(got) == 1 and got[0]["data"] == {"albumId": album, "senderId": alice.id}
    assert "Trip" in got[0]["description"]
    carol = make_user(client, admin, "carol@example.com", "Carol")
    r = client.put(f"/api/albums/{album}/users", headers=alice.headers,
                   json={"albumUsers": [{"userId": carol.id, "role": "viewer"}]})
    assert r.status_code == 200, r.text
    assert [n["data"]["albumId"] for n in client.get(N, headers=carol.headers).json()] == [album]
    assert client.get(N, headers=alice.headers).json() == []  # the sender is not notified
    assert len(client.get(N, headers=bob.headers).json()) == 1  # nor told again


def test_failed_backup_notifies_admins(client: TestClient, settings: Settings, admin: Account,
                                       alice: Account) -> None:
    shutil.rmtree(settings.backups_dir, ignore_errors=True)
    settings.backups_dir.write_text("not a directory")  # the backup cannot be written
    assert client.post("/api/jobs", headers=admin.headers, json={"name": "backup-database"}).status_code == 204
    jobs_of(client).drain()
    got = client.get(N, headers=admin.headers, params={"type": "BackupFailed"}).json()
    assert len(got) == 1 and got[0]["level"] == "error" and got[0]["title"] == "Database backup failed"
    assert client.get(N, headers=alice.headers).json() == []
