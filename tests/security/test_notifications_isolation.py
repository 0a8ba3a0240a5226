"""Notifications: Bob can neither list, read, mark nor delete Alice's notification (alone or mixed with his own
in a bulk request, which then changes nothing), nor send one (admin-only)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import Account

N = "/api/notifications"
SECRET = "alice-private-title-41"


def test_stranger_cannot_touch_a_notification(client: TestClient, admin: Account, alice: Account,
                                              bob: Account) -> None:
    def send(user: Account, title: str) -> str:
        r = client.post("/api/admin/notifications", headers=admin.headers, json={"userId": user.id, "title": title})
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    hers, his = send(alice, SECRET), send(bob, "bob's")
    before = client.get(f"{N}/{hers}", headers=alice.headers).json()
    attacks: list[tuple[str, str, object]] = [
        ("GET", f"{N}/{hers}", None),
        ("PUT", f"{N}/{hers}", {"readAt": "2024-01-01T00:00:00Z"}),
        ("DELETE", f"{N}/{hers}", None),
        ("PUT", N, {"ids": [his, hers], "readAt": "2024-01-01T00:00:00Z"}),
        ("DELETE", N, {"ids": [his, hers]}),
        ("POST", "/api/admin/notifications", {"userId": alice.id, "title": "phishing"}),
    ]
    for method, path, body in attacks:
        r = client.request(method, path, headers=bob.headers, json=body)
        assert 400 <= r.status_code < 500, (method, path, r.status_code, r.text)
        assert SECRET not in r.text
    r = client.get(N, headers=bob.headers, params={"id": hers})
    assert r.status_code == 200 and r.json() == []
    assert [n["id"] for n in client.get(N, headers=bob.headers).json()] == [his]
    assert "readAt" not in client.get(f"{N}/{his}", headers=bob.headers).json()  # the bulk change did nothing
    assert client.get(N, headers=alice.headers).json() == [before]
