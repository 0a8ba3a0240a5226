"""Real GPS-tagged files from ../shared/media: their coordinates, read from the files, give the expected places."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from photonest.geo.geocoder import InvalidCoordinates, geocoder
from photonest.library.places import place_of
from tests.conftest import MEDIA

pillow_heif = pytest.importorskip("pillow_heif")
pillow_heif.register_heif_opener()

GPS_IFD = 0x8825


def pillow_gps(path: Path) -> tuple[float, float] | None:
    """Latitude/longitude straight from the EXIF GPS IFD with Pillow (independent of media.probe)."""
    with Image.open(path) as im:
        gps: dict[int, Any] = dict(im.getexif().get_ifd(GPS_IFD))
    if 2 not in gps or 4 not in gps:
        return None

    def deg(v: Any) -> float:
        d, m, s = (float(x) for x in v)
        return d + m / 60 + s / 3600

    lat, lon = deg(gps[2]), deg(gps[4])
    if str(gps.get(1, "N")).upper().startswith("S"):
        lat = -lat
    if str(gps.get(3, "E")).upper().startswith("W"):
        lon = -lon
    return lat, lon


CASES = [
    # file, city, state, country
    ("camera_jpeg/leuvenA.jpg", "Heverlee", "Flanders", "Belgium"),  # Leuven's Heverlee district
    ("camera_jpeg/FurnaceCreekInn.jpg", "Death Valley", "California", "United States of America"),
    ("camera_jpeg/ela_original.jpg", "Sorocaba", "São Paulo", "Brazil"),
    ("heic/Stonehenge.heic", "Lark Hill", "England", "United Kingdom"),  # 2.5 km from the stones
    ("webp/exiv2-bug1199.webp", "Lark Hill", "England", "United Kingdom"),
    ("camera_jpeg/GoPro.jpg", None, "New York", "United States of America"),
    ("camera_jpeg/exiv2-bug528.jpg", None, "Centre", "France"),
]


@pytest.mark.parametrize(("name", "city", "state", "country"), CASES)
def test_real_files_give_their_places(name: str, city: str | None, state: str, country: str) -> None:
    path = MEDIA / name
    pos = pillow_gps(path)
    assert pos is not None, name
    place = geocoder().lookup(*pos)
    assert place is not None, (name, pos)
    assert (place.state, place.country) == (state, country)
    if city is not None:
        assert place.city == city
    else:
        assert place.city


@pytest.mark.parametrize(("name", "city", "state", "country"), CASES[:4])
def test_the_media_probe_positions_give_the_same_places(name: str, city: str, state: str, country: str) -> None:
    from photonest.media.probe import probe

    exif = probe(MEDIA / name).exif
    place = place_of(exif.get("latitude"), exif.get("longitude"))
    assert place is not None and (place.city, place.state, place.country) == (city, state, country)


def test_null_island_is_no_place() -> None:
    from photonest.media.probe import probe

    for name in ("camera_jpeg/4_barcodes.jpg",):
        assert pillow_gps(MEDIA / name) == (0.0, 0.0)
        assert geocoder().lookup(0.0, 0.0) is None  # never "a city in the Gulf of Guinea"
        exif = probe(MEDIA / name).exif
        assert place_of(exif.get("latitude"), exif.get("longitude")) is None


def test_absurd_coordinates_are_rejected() -> None:
    from photonest.media.probe import probe

    path = MEDIA / "broken_edge" / "exif_gps.jpg"
    with Image.open(path) as im:
        raw_lat = float(im.getexif().get_ifd(GPS_IFD)[2])  # a bare 4294967295 and no longitude at all
    assert raw_lat == 4294967295.0
    for lat, lon in ((raw_lat, 0.0), (raw_lat, raw_lat), (0.0, raw_lat)):
        with pytest.raises(InvalidCoordinates):
            geocoder().lookup(lat, lon)
        assert place_of(lat, lon) is None  # stored nonsense is never named
    exif = probe(path).exif
    assert "latitude" not in exif and place_of(exif.get("latitude"), exif.get("longitude")) is None
