"""Map tiles: the configured tile URL reaches Immich clients through server/config's MapLibre style URLs and
our /api/map/style.json; library.places.map_settings gives the same for the admin system config."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from photonest.app import create_app
from photonest.config import Settings
from photonest.library.places import map_settings


@pytest.fixture
def tiles(settings: Settings) -> Iterator[TestClient]:
    custom = settings.model_copy(update={"map_tile_url": "https://{s}.tiles.example.com/{z}/{x}/{y}.png",
                                         "map_attribution": "&copy; Example tiles"})
    with TestClient(create_app(custom)) as c:
        yield c


def test_server_config_points_to_our_style(tiles: TestClient) -> None:
    config = tiles.get("/api/server/config").json()
    assert config["mapLightStyleUrl"] == "http://testserver/api/map/style.json?theme=light"
    assert config["mapDarkStyleUrl"] == "http://testserver/api/map/style.json?theme=dark"
    assert tiles.get("/api/server/features").json()["map"] is True

    style = tiles.get(config["mapLightStyleUrl"]).json()  # public: MapLibre fetches it without a token
    assert style["version"] == 8
    source = style["sources"]["tiles"]
    assert source["type"] == "raster" and source["attribution"] == "&copy; Example tiles"
    assert source["tiles"] == [f"https://{s}.tiles.example.com/{{z}}/{{x}}/{{y}}.png" for s in "abc"]
    assert [layer["source"] for layer in style["layers"]] == ["tiles"]
    assert "paint" not in style["layers"][0]
    dark = tiles.get(config["mapDarkStyleUrl"]).json()
    assert dark["layers"][0]["paint"]["raster-brightness-max"] < 1
    bad = tiles.get("/api/map/style.json", params={"theme": "neon"})
    assert bad.status_code == 400 and bad.json()["statusCode"] == 400


def test_map_settings_external_domain_custom_styles_and_off(settings: Settings) -> None:
    got = map_settings(settings.model_copy(update={"external_domain": "https://photos.example.org/"}))
    assert got == {"enabled": True, "lightStyle": "https://photos.example.org/api/map/style.json?theme=light",
                   "darkStyle": "https://photos.example.org/api/map/style.json?theme=dark",
                   "tileUrl": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                   "attribution": settings.map_attribution}
    custom = settings.model_copy(update={"map_style_light_url": "https://styles.example/light.json",
                                         "map_style_dark_url": "https://styles.example/dark.json",
                                         "map_enabled": False})
    with TestClient(create_app(custom)) as c:
        config = c.get("/api/server/config").json()
        assert (config["mapLightStyleUrl"], config["mapDarkStyleUrl"]) == (
            "https://styles.example/light.json", "https://styles.example/dark.json")
        assert c.get("/api/server/features").json()["map"] is False
        assert c.get("/api/map/style.json").status_code == 404
