"""Ranks count among the caller's own photos: another user's rows never take a place in a signal's list, even
when they fill the candidate rows the label and place signals read (library.smart_search.scope_lists)."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from photonest.db.tables import AssetExif, AssetLabel
from photonest.library import smart_search
from tests.smart.conftest import Library, smart


def _signals_of(lib: Library, query: str, name: str) -> dict[str, dict[str, float]]:
    body = smart(lib, lib.alice, debug=True, query=query, size=50)
    hit = next((h for h in body["debug"]["hits"] if lib.name_of(h["id"]) == name), None)
    assert hit is not None, (query, [lib.name_of(h["id"]) for h in body["debug"]["hits"]])
    return hit["signals"]  # type: ignore[no-any-return]


def test_other_users_rows_do_not_crowd_out_the_callers(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    db = library.client.app.state.db  # type: ignore[attr-defined]
    bob_cat, cat = library.ids["bob_cat"], library.ids["cat"]
    # Bob's cat photo gets the best "tabby" label and a place row, both ahead of Alice's.
    with db.session() as s:
        old_label = s.get(AssetLabel, (bob_cat, "tabby"))
        old_score = old_label.score if old_label is not None else None
        s.merge(AssetLabel(asset_id=bob_cat, label="tabby", score=0.999))
        old_city: dict[str, tuple[bool, str | None]] = {}
        for aid in (bob_cat, cat):
            e = s.get(AssetExif, aid)
            old_city[aid] = (e is not None, e.city if e is not None else None)
            if e is None:
                s.add(AssetExif(asset_id=aid, city="Oslo", locked_fields=[]))
            else:
                e.city = "Oslo"
    monkeypatch.setattr(smart_search, "LITERAL_CANDIDATES", 1)  # the one candidate row read is Bob's
    try:
        assert _signals_of(library, "tabby", "cat")["labels"]["rank"] == 1
        assert _signals_of(library, "oslo", "cat")["places"]["rank"] == 1
        # And Bob's photo is never among Alice's results.
        body = smart(library, library.alice, query="tabby oslo", size=100)
        assert bob_cat not in {a["id"] for a in body["assets"]["items"]}
    finally:
        with db.session() as s:
            if old_score is None:
                s.execute(delete(AssetLabel).where(AssetLabel.asset_id == bob_cat, AssetLabel.label == "tabby"))
            else:
                s.merge(AssetLabel(asset_id=bob_cat, label="tabby", score=old_score))
            for aid, (existed, city) in old_city.items():
                if existed:
                    s.get(AssetExif, aid).city = city  # type: ignore[union-attr]
                else:
                    s.execute(delete(AssetExif).where(AssetExif.asset_id == aid))
