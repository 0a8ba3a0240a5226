"""POST /api/search/smart on a real library (tests/smart/conftest.py): objects, scenes, text, meanings."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from photonest.db.tables import AssetEmbedding, AssetLabel
from tests.smart.conftest import Library, smart


def top(lib: Library, query: str, n: int = 5) -> list[str]:
    body = smart(lib, lib.alice, query=query)
    return [lib.name_of(a["id"]) for a in body["assets"]["items"][:n]]


@pytest.mark.parametrize(("query", "expected"), [
    ("cat", {"cat"}),
    ("kitty", {"cat"}),  # no label says "kitty": the text embedding knows it is a cat
    ("pug", {"pug"}),
    ("puppy", {"pug", "dogs"}),
    ("dog", {"pug", "dogs"}),
    ("bird", {"jay"}),
    ("bus", {"bus"}),
    ("football", {"soccer"}),
    ("church", {"leuvenA", "leuvenB"}),
    ("mountain", {"denali"}),
    ("cliff", {"rocks"}),
    ("barn", {"barn"}),
    ("bee", {"cyclamen"}),
    ("parking", {"sign"}),  # the text read in the photo
    ("beer", {"beer"}),
    ("electronics", {"board"}),
    ("suit", {"suit"}),
])
def test_objects_and_scenes_are_found(library: Library, query: str, expected: set[str]) -> None:
    found = top(library, query)
    assert expected & set(found[:max(3, len(expected))]), f"{query!r}: top results {found}"


def test_response_shape_and_paging(library: Library) -> None:
    body = smart(library, library.alice, query="dog", size=1)
    assets = body["assets"]
    assert set(assets) == {"items", "total", "count", "nextPage", "facets"}
    assert assets["count"] == len(assets["items"]) == 1
    assert assets["total"] == 1 and assets["nextPage"] == "2"  # as Immich: total counts the page's items
    page2 = smart(library, library.alice, query="dog", size=1, page=2)["assets"]
    assert page2["items"][0]["id"] != assets["items"][0]["id"]
    assert body["albums"] == {"items": [], "total": 0, "count": 0, "facets": []}
    assert "debug" not in body


def test_debug_explains_each_hit(library: Library) -> None:
    body = smart(library, library.alice, debug=True, query="kitty", size=3)
    hits = body["debug"]["hits"]
    assert [h["id"] for h in hits] == [a["id"] for a in body["assets"]["items"]]
    first = hits[0]
    assert library.name_of(first["id"]) == "cat"
    assert "text" in first["signals"] and first["signals"]["text"]["rank"] >= 1
    assert set(body["debug"]["signals"]) >= {"text", "ocr"}


def test_filters_apply(library: Library) -> None:
    ids = [a["id"] for a in smart(library, library.alice, query="church", make="Apple")["assets"]["items"]]
    assert ids and {library.name_of(i) for i in ids} <= {"leuvenA", "leuvenB"}
    assert smart(library, library.alice, query="church", make="NoSuchCamera")["assets"]["items"] == []
    assert smart(library, library.alice, query="church", isFavorite=True)["assets"]["items"] == []


def test_similar_photos_by_query_asset(library: Library) -> None:
    body = smart(library, library.alice, queryAssetId=library.ids["reagan_jpg"], size=6)
    names = [library.name_of(a["id"]) for a in body["assets"]["items"]]
    assert "reagan_jpg" not in names
    assert set(names[:4]) == {"reagan_tiff", "reagan_png", "reagan_jp2", "reagan_jxl"}, names


def test_bad_requests(library: Library) -> None:
    smart(library, library.alice, expect=400)  # neither query nor queryAssetId
    smart(library, library.alice, expect=400, queryAssetId=library.ids["bob_cat"])  # not hers
    smart(library, library.alice, expect=400, query="cat", visibility="locked")


def test_trashed_photos_are_not_found(library: Library) -> None:
    c, alice = library.client, library.alice
    cat = library.ids["cat"]
    assert c.request("DELETE", "/api/assets", json={"ids": [cat]}, headers=alice.headers).status_code == 204
    try:
        assert "cat" not in top(library, "cat", 20)
    finally:
        assert c.post("/api/trash/restore/assets", json={"ids": [cat]}, headers=alice.headers).status_code == 200
    assert "cat" in top(library, "cat")


def test_labels_and_embeddings_are_stored(library: Library) -> None:
    with library.client.app.state.db.session(write=False) as s:  # type: ignore[attr-defined]
        labels = {r.label: r.score for r in s.scalars(select(AssetLabel)
                                                       .where(AssetLabel.asset_id == library.ids["pug"]))}
        assert max(labels, key=lambda k: labels[k]) == "pug"
        assert len(labels) <= library.settings.labels_max
        emb = s.get(AssetEmbedding, (library.ids["sign"], "all-MiniLM-L6-v2"))
        assert emb is not None and emb.dim == 384 and len(emb.vector) == 384 * 4
        assert emb.source_text and "parking" in emb.source_text.lower() and "scenetext01" in emb.source_text
