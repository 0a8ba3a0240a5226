"""The locked folder's PIN: set, change, reset, unlock/lock a session, brute force throttled."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import PASSWORD, Account


def _status(client: TestClient, who: Account) -> dict[str, object]:
    return dict(client.get("/api/auth/status", headers=who.headers).json())


def test_pin_code_lifecycle(client: TestClient, alice: Account) -> None:
    assert client.post("/api/auth/pin-code", headers=alice.headers, json={"pinCode": "12ab"}).status_code == 400
    assert client.post("/api/auth/pin-code", headers=alice.headers, json={"pinCode": "123456"}).status_code == 204
    assert _status(client, alice)["pinCode"] is True
    assert client.post("/api/auth/pin-code", headers=alice.headers, json={"pinCode": "654321"}).status_code == 400

    r = client.put("/api/auth/pin-code", headers=alice.headers, json={"pinCode": "000000", "newPinCode": "222222"})
    assert r.status_code == 400
    r = client.put("/api/auth/pin-code", headers=alice.headers, json={"pinCode": "123456", "newPinCode": "222222"})
    assert r.status_code == 204
    r = client.put("/api/auth/pin-code", headers=alice.headers, json={"password": PASSWORD, "newPinCode": "333333"})
    assert r.status_code == 204

    assert _status(client, alice)["isElevated"] is False
    r = client.post("/api/auth/session/unlock", headers=alice.headers, json={"pinCode": "222222"})
    assert r.status_code == 400
    r = client.post("/api/auth/session/unlock", headers=alice.headers, json={"pinCode": "333333"})
    assert r.status_code == 204
    st = _status(client, alice)
    assert st["isElevated"] is True and st["pinExpiresAt"]
    assert client.post("/api/auth/session/lock", headers=alice.headers).status_code == 204
    assert _status(client, alice)["isElevated"] is False

    r = client.request("DELETE", "/api/auth/pin-code", headers=alice.headers, json={"password": PASSWORD})
    assert r.status_code == 204
    assert _status(client, alice)["pinCode"] is False


def test_pin_guessing_is_throttled(client: TestClient, alice: Account) -> None:
    client.post("/api/auth/pin-code", headers=alice.headers, json={"pinCode": "123456"})
    codes = [f"{n:06d}" for n in range(100000, 100005)]
    for code in codes:
        r = client.post("/api/auth/session/unlock", headers=alice.headers, json={"pinCode": code})
        assert r.status_code == 400
    r = client.post("/api/auth/session/unlock", headers=alice.headers, json={"pinCode": "123456"})
    assert r.status_code == 429
    assert _status(client, alice)["isElevated"] is False


def test_pin_is_per_user(client: TestClient, alice: Account, bob: Account) -> None:
    client.post("/api/auth/pin-code", headers=alice.headers, json={"pinCode": "123456"})
    assert _status(client, bob)["pinCode"] is False
    r = client.post("/api/auth/session/unlock", headers=bob.headers, json={"pinCode": "123456"})
    assert r.status_code == 400
    assert _status(client, bob)["isElevated"] is False
