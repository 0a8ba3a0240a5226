"""probe(): dates and time zones, GPS, camera fields, orientation -> dimensions, sidecars. Real files only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from photonest.media.dates import parse_date, zone_name
from photonest.media.errors import MediaError
from photonest.media.probe import MediaInfo, format_exposure, probe

from .conftest import media


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_camera_jpeg_with_gps_gets_zone_from_position() -> None:
    # Canon S5 IS at Furnace Creek (Death Valley): DateTimeOriginal has no offset; GPS places it in California.
    info = probe(media("camera_jpeg/FurnaceCreekInn.jpg"))
    assert info.asset_type == "IMAGE" and info.mime_type == "image/jpeg"
    assert (info.width, info.height) == (400, 300)
    e = info.exif
    assert e["make"] == "Canon" and e["model"] == "Canon PowerShot S5 IS"
    assert e["latitude"] == pytest.approx(36.4483333, abs=1e-6)
    assert e["longitude"] == pytest.approx(-116.855, abs=1e-6)
    assert e["time_zone"] == "America/Los_Angeles"
    assert info.local_date_time == datetime(2008, 5, 8, 9, 54, 28)
    assert e["date_time_original"] == utc(2008, 5, 8, 16, 54, 28)  # PDT is UTC-7
    assert e["f_number"] == 4.0 and e["iso"] == 80 and e["exposure_time"] == "1/1000"
    assert e["file_size_in_byte"] == 38821


def test_same_camera_without_gps_has_no_zone_and_wall_time_as_utc() -> None:
    info = probe(media("camera_jpeg/FurnaceCreekInn2.jpg"))
    assert "latitude" not in info.exif and "time_zone" not in info.exif
    assert info.local_date_time == datetime(2008, 5, 8, 9, 54, 34)
    assert info.exif["date_time_original"] == utc(2008, 5, 8, 9, 54, 34)


def test_offset_time_original_is_used() -> None:
    # Samsung S22 HEIC: DateTimeOriginal 21:38:53.853, OffsetTimeOriginal -08:00, no GPS.
    info = probe(media("immich-test-assets/formats/motionphoto/samsung-one-ui-6.heic"))
    assert info.exif["time_zone"] == "UTC-8"
    assert info.local_date_time == datetime(2024, 1, 12, 21, 38, 53, 853000)
    assert info.exif["date_time_original"] == utc(2024, 1, 13, 5, 38, 53, 853000)


def test_gps_datetime_only_is_utc_and_shifted_to_local_zone() -> None:
    # Only XMP GPSDateTime 2023-11-15T12:30:00Z, position San Francisco.
    info = probe(media("immich-test-assets/metadata/dates/gps-datetime.jpg"))
    assert info.exif["date_time_original"] == utc(2023, 11, 15, 12, 30)
    assert info.exif["time_zone"] == "America/Los_Angeles"
    assert info.local_date_time == datetime(2023, 11, 15, 4, 30)  # PST, UTC-8


def test_zone_from_position_follows_dst() -> None:
    # DateTimeOriginal 2025-12-01 11:30 at 39N 108W (Colorado): MST in December, UTC-7.
    info = probe(media("immich-test-assets/metadata/dates/datetimeoriginal-gps.jpg"))
    assert info.exif["time_zone"] == "America/Denver"
    assert info.exif["date_time_original"] == utc(2025, 12, 1, 18, 30)
    assert info.local_date_time == datetime(2025, 12, 1, 11, 30)


def test_date_priority_prefers_date_time_original() -> None:
    # DateTimeOriginal 02:00, CreateDate 04:00, XMP CreationDate/GPSDateTime others: the original wins.
    info = probe(media("immich-test-assets/metadata/dates/date-priority-test.jpg"))
    assert info.local_date_time == datetime(2023, 2, 2, 2, 0)


def test_xmp_date_with_offset_and_subseconds() -> None:
    # Only XMP dates (photoshop:DateCreated 2022-01-10T15:15:44.31), GPS in Utah: America/Denver (UTC-7).
    info = probe(media("immich-test-assets/metadata/gps-position/thompson-springs.jpg"))
    assert info.local_date_time == datetime(2022, 1, 10, 15, 15, 44, 310000)
    assert info.exif["time_zone"] == "America/Denver"
    assert info.exif["date_time_original"] == utc(2022, 1, 10, 22, 15, 44, 310000)
    assert info.exif["description"].startswith("Early winter scene")
    assert info.exif["latitude"] == pytest.approx(39.115, abs=1e-4)


def test_no_date_at_all_returns_none_for_file_dates() -> None:
    info = probe(media("camera_jpeg/hopper_orientation_6.jpg"))
    assert info.local_date_time is None and "date_time_original" not in info.exif


@pytest.mark.parametrize(("rel", "size", "orientation"), [
    ("camera_jpeg/bug725582-testrotate.jpg", (428, 640), "6"),  # stored 640x428, rotate 90 CW
    ("camera_jpeg/exiv2-canon-eos-300d.jpg", (91, 150), "6"),
    ("camera_jpeg/Pentax.jpg", (8, 8), "8"),
    ("camera_jpeg/hopper_orientation_3.jpg", (128, 128), "3"),
    ("camera_jpeg/DSC_3079.jpg", (720, 1280), None),  # portrait without an Orientation tag
    ("heic/arrow.heic", (3024, 4032), "6"),  # libheif rotates; the stored 4032x3024 stays in exif_image_*
    ("tiff/g4_orientation_6.tif", (88, 590), "6"),
    ("raw/IMG_1361.dng", (3024, 4032), "6"),
])
def test_dimensions_are_after_orientation(rel: str, size: tuple[int, int], orientation: str | None) -> None:
    info = probe(media(rel))
    assert (info.width, info.height) == size
    assert info.exif.get("orientation") == orientation
    if orientation in ("5", "6", "7", "8"):
        assert (info.exif["exif_image_width"], info.exif["exif_image_height"]) == (size[1], size[0])


@pytest.mark.parametrize(("rel", "lat", "lon"), [
    ("camera_jpeg/ela_original.jpg", -23.5226029, -47.5044985),  # southern + western hemisphere
    ("camera_jpeg/leuvenA.jpg", 50.8715278, 4.6969833),
    ("camera_jpeg/exiv2-bug540.jpg", 54.9896667, -1.9141667),
    ("heic/pug.heic", 44.8504778, 34.9766472),
    ("tiff/ifd_tag_type.tiff", 35.5999986, -111.6618272),
    ("webp/exiv2-bug1199.webp", 51.1782817, -1.82664),
])
def test_gps_values(rel: str, lat: float, lon: float) -> None:
    info = probe(media(rel))
    assert info.exif["latitude"] == pytest.approx(lat, abs=1e-5)
    assert info.exif["longitude"] == pytest.approx(lon, abs=1e-5)


@pytest.mark.parametrize("rel", [
    "broken_edge/exif_gps.jpg",  # latitude 4294967295
    "camera_jpeg/4_barcodes.jpg",  # 0,0 "null island"
    "broken_edge/empty_gps_ifd.jpg",
    "immich-test-assets/metadata/gps-position/empty_gps.jpg",
])
def test_absurd_or_empty_gps_is_dropped(rel: str) -> None:
    info = probe(media(rel))
    assert "latitude" not in info.exif and "longitude" not in info.exif


def test_broken_exif_gps_falls_back_to_the_xmp_position() -> None:
    # EXIF GPS seconds are 0/0 (exiftool shows them empty); the embedded XMP has Mont-Saint-Michel.
    info = probe(media("camera_jpeg/CaorVN.jpeg"))
    assert info.exif["latitude"] == pytest.approx(48.6318, abs=1e-3)
    assert info.exif["longitude"] == pytest.approx(-1.5084, abs=1e-3)


def test_heic_camera_fields() -> None:
    info = probe(media("heic/pug.heic"))
    e = info.exif
    assert (e["make"], e["model"]) == ("Apple", "iPhone 13 Pro")
    assert e["lens_model"].startswith("iPhone 13 Pro back")
    assert e["f_number"] == 1.5 and e["focal_length"] == 5.7 and e["iso"] == 125
    assert e["exposure_time"] == "1/121"
    assert e["time_zone"] == "UTC+3"  # OffsetTimeOriginal +03:00 (Crimea)


@pytest.mark.parametrize(("rel", "make", "model", "local"), [
    ("raw/Nikon.nef", "NIKON CORPORATION", "NIKON D70", datetime(2004, 6, 9, 16, 2, 35)),
    ("raw/CanonRaw.cr3", "Canon", "Canon EOS M50", datetime(2018, 2, 21, 12, 8, 56, 210000)),
    ("raw/FujiFilm.raf", "FUJIFILM", "FinePix S5Pro", datetime(2007, 5, 22, 13, 58, 30)),
    ("raw/Panasonic.rw2", "Panasonic", "DMC-LX3", datetime(2008, 8, 6, 15, 21, 56)),
    ("raw/DNG.dng", "Canon", "Canon EOS 350D DIGITAL", datetime(2005, 8, 3, 18, 59, 18)),
    ("other_formats/Reagan.jxl", "NIKON CORPORATION", "NIKON D1X", datetime(2004, 6, 21, 23, 37, 53, 60000)),
    ("avif/avif.avif", None, None, datetime(2018, 8, 15, 11, 37, 35, 590000)),
])
def test_metadata_from_raw_and_other_containers(rel: str, make: str | None, model: str | None,
                                                local: datetime) -> None:
    info = probe(media(rel))
    assert info.exif.get("make") == make and info.exif.get("model") == model
    assert info.local_date_time == local


def test_canon_cr3_reads_exif_and_offset_from_cmt_boxes() -> None:
    info = probe(media("raw/Canon-R6-pruned.CR3"))
    e = info.exif
    assert e["model"] == "Canon EOS R6" and e["lens_model"] == "RF70-200mm F2.8 L IS USM"
    assert e["time_zone"] == "UTC+2" and e["date_time_original"] == utc(2021, 5, 12, 10, 21, 21, 920000)
    assert e["f_number"] == 25.0 and e["exposure_time"] == "1/4"


def test_rating_from_xmp() -> None:
    assert probe(media("immich-test-assets/metadata/rating/mongolels.jpg")).exif["rating"] == 3


def test_sidecar_overrides_file_values() -> None:
    # The WebP has the Stonehenge date/GPS already; XMP.xmp (Canon IXUS 40, +02:00) overrides both.
    info = probe(media("webp/exiv2-bug1199.webp"), sidecar=media("xmp_sidecar/XMP.xmp"))
    assert info.local_date_time == datetime(2005, 6, 9, 20, 9, 27)
    assert info.exif["time_zone"] == "UTC+2"
    assert info.exif["date_time_original"] == utc(2005, 6, 9, 18, 9, 27)
    assert info.exif["make"] == "Canon" and info.exif["model"] == "Canon DIGITAL IXUS 40"
    assert info.exif["f_number"] == 2.8 and info.exif["exposure_time"] == "0.4"


def test_sidecar_rating_iso_and_negative_offset() -> None:
    info = probe(media("camera_jpeg/flower.jpg"), sidecar=media("xmp_sidecar/test1.xmp"))
    assert info.exif["rating"] == 3
    assert info.exif["time_zone"] == "UTC-5"
    assert info.exif["date_time_original"] == utc(2006, 12, 8, 4, 20, 43)
    assert info.exif["iso"] == 100


def test_sidecar_gps_in_xmp_coordinate_format() -> None:
    # exif:GPSLatitude="40,14.0786450N" exif:GPSLongitude="76,17.2284900W", date without offset, ISO as rdf:Seq.
    info = probe(media("camera_jpeg/FurnaceCreekInn2.jpg"),
                 sidecar=media("immich-test-assets/problems/xmp/iso-value-array/iso-value-array.xmp"))
    assert info.exif["latitude"] == pytest.approx(40.2346441, abs=1e-6)
    assert info.exif["longitude"] == pytest.approx(-76.2871415, abs=1e-6)
    assert info.exif["time_zone"] == "America/New_York"  # from the sidecar's position: EST in November
    assert info.local_date_time == datetime(2009, 11, 28, 13, 42, 39)
    assert info.exif["date_time_original"] == utc(2009, 11, 28, 18, 42, 39)
    assert info.exif["iso"] == 160 and info.exif["model"] == "Canon PowerShot SX120 IS"


def test_utf16_sidecar() -> None:
    sidecar = media("immich-test-assets/metadata/xmp/dates/2010.xmp")  # UTF-16 with a byte-order mark
    info = probe(media("camera_jpeg/FurnaceCreekInn2.jpg"), sidecar=sidecar)
    assert info.local_date_time == datetime(2010, 9, 27, 14, 35, 33)
    assert info.exif["time_zone"] == "UTC+2"


def test_broken_sidecar_is_ignored() -> None:
    info = probe(media("camera_jpeg/FurnaceCreekInn.jpg"), sidecar=media("broken_edge/broken.png"))
    assert info.exif["model"] == "Canon PowerShot S5 IS"


def test_garbage_orientation_and_wrong_types_do_not_raise() -> None:
    info = probe(media("broken_edge/invalid-exif.jpg"))
    assert isinstance(info, MediaInfo)
    info = probe(media("broken_edge/hopper_bad_exif.jpg"))
    assert (info.width, info.height) == (500, 500)


def test_future_date_is_kept_but_year_zero_is_not() -> None:
    assert probe(media("broken_edge/exif_gps.jpg")).local_date_time == datetime(2099, 9, 29, 10, 10, 10)
    assert parse_date("0000:00:00 00:00:00") is None
    assert parse_date("    :  :     :  :  ") is None


def test_odd_date_strings() -> None:
    assert parse_date("2009:09:09 20:27:09.60:04:00") == (datetime(2009, 9, 9, 20, 27, 9, 600000), None)
    assert parse_date("2002:07:13 15:58:28Z") == (datetime(2002, 7, 13, 15, 58, 28), timedelta(0))
    assert parse_date("2012:02:11 14:17:08.253+01:00") == (datetime(2012, 2, 11, 14, 17, 8, 253000),
                                                          timedelta(hours=1))
    assert parse_date("2006-12-07T23:20:43-05:00") == (datetime(2006, 12, 7, 23, 20, 43), timedelta(hours=-5))
    assert zone_name(timedelta(hours=5, minutes=30)) == "UTC+5:30"
    assert zone_name(timedelta(0)) == "UTC+0"


def test_exposure_formatting_like_exiftool() -> None:
    assert format_exposure(1 / 250) == "1/250"
    assert format_exposure(0.4) == "0.4"
    assert format_exposure(2.0) == "2"
    assert format_exposure(0.0) is None


def test_utf8_exif_text_is_decoded() -> None:
    info = probe(media("camera_jpeg/Reagan.jpg"))
    # The file holds UTF-8 bytes c3 ad ("í"); read as Latin-1 they would show as "Ã\xad".
    assert "Navyís newest aircraft carrier" in info.exif["description"]


@pytest.mark.parametrize("rel", ["broken_edge/empty-file.tga", "broken_edge/notjpeg.jpg", "broken_edge/empty.heic"])
def test_zero_byte_files(rel: str) -> None:
    with pytest.raises(MediaError, match="empty"):
        probe(media(rel))


def test_unsupported_type(tmp_path: object) -> None:
    with pytest.raises(MediaError, match="unsupported"):
        probe(media("MANIFEST.tsv"))
