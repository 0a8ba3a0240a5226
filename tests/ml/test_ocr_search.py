"""OCR search over the real model's output, on SQLite (FTS5 trigram) and PostgreSQL (pg_trgm / LIKE)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import delete, func, select

from photonest.db.engine import Database, migrate
from photonest.db.tables import Asset, AssetOcr, AssetOcrSearch, User
from photonest.db.types import utcnow
from photonest.library.ocr import normalise, replace_ocr, search_ocr
from photonest.ml.ocr import OcrLine


@dataclass
class Library:
    db: Database
    alice: str
    bob: str
    asset: dict[str, str]  # file name -> asset id (alice's, and bob's "bob-sign.jpg")

    def find(self, query: str, owner: str | None = None, limit: int = 50) -> list[str]:
        with self.db.session() as s:
            hits = search_ocr(s, [owner or self.alice], query, limit)
        return [self.name(a) for a, _, _ in hits]

    def name(self, asset_id: str) -> str:
        return next((n for n, i in self.asset.items() if i == asset_id), asset_id)


def _asset(owner: str, name: str) -> Asset:
    now = utcnow()
    return Asset(owner_id=owner, checksum=hashlib.sha1(f"{owner}/{name}".encode()).digest(), type="IMAGE",
                 original_path=f"library/{owner}/{name}", original_file_name=name, file_created_at=now,
                 file_modified_at=now, local_date_time=now)


@pytest.fixture
def library(db_url: str, ocr_results: dict[str, list[OcrLine]]) -> Iterator[Library]:
    migrate(db_url)
    db = Database(db_url)
    with db.session() as s:
        alice, bob = User(email="alice@example.com"), User(email="bob@example.com")
        s.add_all([alice, bob])
        s.flush()
        ids = {}
        for name, lines in ocr_results.items():
            a = _asset(alice.id, name)
            s.add(a)
            s.flush()
            replace_ocr(s, a.id, lines)
            ids[name] = a.id
        # Bob has one photo with text of his own, and an empty one.
        b = _asset(bob.id, "bob-sign.jpg")
        s.add(b)
        s.flush()
        replace_ocr(s, b.id, [OcrLine("Bob's Private Parking", (0.1, 0.1, 0.9, 0.1, 0.9, 0.2, 0.1, 0.2), 0.9, 0.95)])
        ids["bob-sign.jpg"] = b.id
        lib = Library(db, alice.id, bob.id, ids)
    yield lib
    db.dispose()


def test_words_visible_in_a_photo_find_it(library: Library) -> None:
    assert library.find("prohibited") == ["scenetext01.jpg"]
    assert library.find("Komunikabideak") == ["baiona_color.jpg"]
    assert library.find("cromulent") == ["crom.png"]
    assert library.find("linzensoep") == ["typewriter.png"]
    assert "scenetext02.jpg" in library.find("conference")


def test_words_not_in_any_photo_find_nothing(library: Library) -> None:
    for query in ("elephant", "xylophone", "photonest", "zzzz", "parking prohibited elephant"):
        assert library.find(query) == [], query


def test_substrings_match(library: Library) -> None:
    assert library.find("prohib") == ["scenetext01.jpg"]
    assert library.find("ulent") == ["crom.png"]
    assert library.find("komuni") == ["baiona_color.jpg"]


def test_every_word_must_match_anywhere_in_the_text(library: Library) -> None:
    # "double" and "times" are on different lines of the same sign.
    assert library.find("double times") == ["scenetext01.jpg"]
    assert library.find("times double notice") == ["scenetext01.jpg"]
    # "lazy" is in two documents, "fox" too; "lazy fox duck" only in eurotext.
    assert set(library.find("lazy fox")) == {"phototest.tif", "eurotext.tif"}
    assert library.find("lazy fox duck") == ["eurotext.tif"]


def test_case_and_accents_do_not_matter(library: Library) -> None:
    assert library.find("NoTiCe") == ["scenetext01.jpg"]
    # eurotext.tif says "über den faulen Hund" and "marrón rápido".
    assert library.find("uber den faulen") == ["eurotext.tif"]
    assert library.find("ÜBER") == ["eurotext.tif"]
    assert library.find("marron rapido") == ["eurotext.tif"]
    assert library.find("MARRÓN") == ["eurotext.tif"]


def test_short_words_and_punctuation(library: Library) -> None:
    assert library.find("E-mail") == ["eurotext.tif"]
    assert library.find("website.com") == ["eurotext.tif"]
    assert library.find("12 point") == ["phototest.tif"]
    assert library.find("   ") == []


def test_ranked_by_match_quality(library: Library) -> None:
    # Whole-word "parking" on the short signs ranks above words that merely contain it ("Car Parks" does not).
    hits = library.find("parking")
    assert hits[0] in ("scenetext05.jpg", "scenetext01.jpg")
    assert set(hits) == {"scenetext01.jpg", "scenetext05.jpg"}
    # A phrase in order beats its words scattered: "the lazy fox" is a phrase in both documents, but the
    # shorter text wins; every hit carries the lines that matched.
    with library.db.session() as s:
        hits3 = search_ocr(s, [library.alice], "lazy fox", 10)
    assert [h[1] for h in hits3] == sorted((h[1] for h in hits3), reverse=True)
    assert all("lazy" in normalise(h[2]) for h in hits3)


def test_limit(library: Library) -> None:
    assert len(library.find("the", limit=2)) == 2


def test_only_the_owners_assets(library: Library) -> None:
    assert library.find("parking", owner=library.bob) == ["bob-sign.jpg"]
    assert library.find("prohibited", owner=library.bob) == []
    assert "bob-sign.jpg" not in library.find("private parking")
    with library.db.session() as s:
        both = search_ocr(s, [library.alice, library.bob], "parking", 10)
    assert len(both) == 3


def test_trashed_and_deleted_assets_drop_out(library: Library) -> None:
    with library.db.session() as s:
        s.get(Asset, library.asset["crom.png"]).deleted_at = utcnow()  # type: ignore[union-attr]
    assert library.find("cromulent") == []
    with library.db.session() as s:
        s.execute(delete(Asset).where(Asset.id == library.asset["scenetext01.jpg"]))
    assert library.find("prohibited") == []
    with library.db.session() as s:
        assert s.scalar(select(func.count()).select_from(AssetOcr)
                        .where(AssetOcr.asset_id == library.asset["scenetext01.jpg"])) == 0
        if s.get_bind().dialect.name == "sqlite":
            # The FTS index follows the cascade (its triggers), and stays consistent.
            s.execute(select(func.count()).select_from(AssetOcrSearch))
            s.connection().exec_driver_sql("INSERT INTO asset_ocr_fts(asset_ocr_fts, rank) VALUES "
                                           "('integrity-check', 1)")


def test_a_match_ranked_behind_many_trashed_ones_is_still_found(library: Library) -> None:
    """Candidates are ranked before their assets are checked; trashed ones taking every place means fetching
    more, on both engines (FTS5 on SQLite, LIKE through pg_trgm on PostgreSQL)."""
    with library.db.session() as s:
        ids = []
        for n in range(60):  # shorter text ranks higher: the last one ranks last
            a = _asset(library.alice, f"zebra-{n}.jpg")
            s.add(a)
            s.flush()
            replace_ocr(s, a.id, [OcrLine("zebra qj crossing " + "x" * n, (0, 0, 1, 0, 1, 1, 0, 1), 0.9, 0.9)])
            ids.append(a.id)
        for aid in ids[:-1]:
            s.get(Asset, aid).deleted_at = utcnow()  # type: ignore[union-attr]
    with library.db.session() as s:
        assert [a for a, _, _ in search_ocr(s, [library.alice], "zebra", 1)] == [ids[-1]]
        assert [a for a, _, _ in search_ocr(s, [library.alice], "qj", 1)] == [ids[-1]]  # too short for an index


def test_rerunning_ocr_replaces_the_text(library: Library) -> None:
    aid = library.asset["crom.png"]
    with library.db.session() as s:
        replace_ocr(s, aid, [OcrLine("Embiggen", (0, 0, 1, 0, 1, 1, 0, 1), 0.9, 0.9)])
    assert library.find("cromulent") == []
    assert library.find("embiggen") == ["crom.png"]
    with library.db.session() as s:
        replace_ocr(s, aid, [])
        assert s.scalar(select(func.count()).select_from(AssetOcr).where(AssetOcr.asset_id == aid)) == 0
    assert library.find("embiggen") == []


def test_normalise() -> None:
    assert normalise("Über den  FAULEN\nHund!") == "uber den faulen hund"
    assert normalise("Straße") == "strasse"
    assert normalise("".join(chr(0xFEE0 + ord(c)) for c in "fullwidth")) == "fullwidth"  # fullwidth forms
    assert normalise("e-mail@x.com") == "e mail x com"
    assert normalise("北京") == "北京"
