"""The bulk add/remove rules every container (album, tag, memory, shared link) answers with."""

from __future__ import annotations

from photonest.library.bulk_ids import sort_additions, sort_removals


def test_additions_in_request_order_with_repeats_as_duplicates() -> None:
    results, added = sort_additions(["a", "b", "c", "a", "d"], present={"b"}, allowed={"a", "b", "d"})
    assert added == ["a", "d"]
    assert results == [
        {"id": "a", "success": True},
        {"id": "b", "success": False, "error": "duplicate"},
        {"id": "c", "success": False, "error": "no_permission"},
        {"id": "a", "success": False, "error": "duplicate"},
        {"id": "d", "success": True},
    ]


def test_removals_report_missing_repeats_and_forbidden() -> None:
    results, removed = sort_removals(["a", "x", "a", "b"], present={"a", "b"}, allowed={"a"}, key="assetId")
    assert removed == ["a"]
    assert [r.get("error") for r in results] == [None, "not_found", "not_found", "no_permission"]
    assert all(r["assetId"] for r in results)
    assert sort_removals(["b"], present={"b"})[1] == ["b"]  # no allow-list: the container's editor removes anything
