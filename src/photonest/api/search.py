"""/api/search: metadata search and its relatives (statistics, random, large assets, explore; library.metadata_search
and library.search_filters), places and camera suggestions (library.places) and smart search (library.smart_search)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import orjson
from fastapi import Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from photonest.api import mappers
from photonest.api.deps import AppSettings, Db, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.db.tables import AssetExif
from photonest.library import metadata_search, people, places, smart_search
from photonest.library.auth import AuthContext

router = Router(prefix="/search", tags=["Search"])
AssetReadCtx = Annotated[AuthContext, Depends(auth("asset.read"))]
# Immich lets a share-link holder search too (?key= / ?slug=): they find only the link's assets.
AssetReadLinkCtx = Annotated[AuthContext, Depends(auth("asset.read", shared_link=True))]
StatisticsCtx = Annotated[AuthContext, Depends(auth("asset.statistics"))]


@router.get("/cities", response_model=list[dto.AssetResponseDto], operation_id="getAssetsByCity")
def get_assets_by_city(ctx: AssetReadCtx, db: Db) -> list[dict[str, Any]]:
    owners = [ctx.user.id, *metadata_search.partner_ids(db, ctx)]
    return [mappers.asset(a, db.get(AssetExif, a.id)) for a in places.assets_by_city(db, owners)]


@router.get("/places", response_model=list[dto.PlacesResponseDto], operation_id="searchPlaces")
def search_places(ctx: AssetReadCtx,
                  name: Annotated[str, Query(description="Place name to search for")]) -> list[dict[str, Any]]:
    return places.search_places(name)


@router.get("/suggestions", response_model=list[str], operation_id="getSearchSuggestions")
def get_search_suggestions(
    ctx: AssetReadCtx, db: Db,
    type: Annotated[dto.SearchSuggestionType, Query()],
    country: Annotated[str | None, Query(description="Filter by country")] = None,
    includeNull: Annotated[bool | None, Query(description="Include null values in suggestions")] = None,
    lensModel: Annotated[str | None, Query(description="Filter by lens model")] = None,
    make: Annotated[str | None, Query(description="Filter by camera make")] = None,
    model: Annotated[str | None, Query(description="Filter by camera model")] = None,
    state: Annotated[str | None, Query(description="Filter by state/province")] = None,
) -> JSONResponse:
    owners = [ctx.user.id, *metadata_search.partner_ids(db, ctx)]
    values = places.suggestions(db, owners, type.value, country=country, state=state, make=make, model=model,
                                lens_model=lensModel, include_null=bool(includeNull))
    # Immich's schema says strings, but includeNull=true adds a null item (as Immich does): not validated.
    return JSONResponse(values)


# --- smart search (issue 9; library.smart_search) ---------------------------------------------------------


@router.post("/smart", response_model=dto.SearchResponseDto, operation_id="searchSmart")
def search_smart(body: dto.SmartSearchDto, ctx: AssetReadCtx, db: Db, settings: AppSettings,
                 request: Request) -> Any:
    """Beyond Immich: `?debug=true` adds a top-level `debug` list explaining each hit on the page (which signals
    found it, at what rank and score, and the fused score). It is not in the OpenAPI document."""
    debug = request.query_params.get("debug", "").lower() in ("1", "true", "yes")
    result = smart_search.smart_search(db, settings, ctx, body.model_dump(exclude_unset=True), debug=debug)
    out: dict[str, Any] = {
        "assets": {"items": [mappers.asset(a, e) for a, e in result.assets], "total": result.total,
                   "count": len(result.assets), "nextPage": result.next_page, "facets": []},
        "albums": {"items": [], "total": 0, "count": 0, "facets": []},
    }
    if not debug:
        return out
    valid = dto.SearchResponseDto.model_validate(out).model_dump(mode="json", exclude_unset=True)
    return JSONResponse({**valid, "debug": {"signals": result.signals, "hits": result.debug}})


# --- metadata search (library.metadata_search, filters in library.search_filters) -------------------------


def _json(body: Any) -> Response:
    """The mappers build the response DTOs' JSON already: skipping FastAPI's re-validation of 250 assets saves a
    good part of a search's time (response_model still documents the shape; tests check it)."""
    return Response(orjson.dumps(body), media_type="application/json")


def _assets(db: Db, rows: list[metadata_search.Row], f: dict[str, Any]) -> list[dict[str, Any]]:
    """AssetResponseDto items: exifInfo with withExif (else only the file size), people with withPeople."""
    from photonest.api.people import person_dto

    exif = bool(f.get("withExif"))
    out = [mappers.asset(a, e if exif else None) for a, e in rows]
    if f.get("withPeople"):
        found = people.people_for_assets(db, [a.id for a, _ in rows])
        for item in out:
            item["people"] = [person_dto(p) for p in found.get(item["id"], [])]
    return out


@router.post("/metadata", response_model=dto.SearchResponseDto, operation_id="searchAssets")
def search_assets(
    body: dto.MetadataSearchDto, ctx: AssetReadLinkCtx, db: Db,
    key: Annotated[str | None, Query(description="Shared link key")] = None,
    slug: Annotated[str | None, Query(description="Shared link slug")] = None,
) -> Response:
    f = body.model_dump(exclude_unset=True)
    page = metadata_search.search(db, ctx, f)
    items = _assets(db, page.rows, f)
    # As Immich: total is the number of items on this page (POST /search/statistics counts them all).
    return _json({"assets": {"items": items, "total": len(items), "count": len(items), "nextPage": page.next_page,
                             "facets": []},
                  "albums": {"items": [], "total": 0, "count": 0, "facets": []}})


@router.post("/statistics", response_model=dto.SearchStatisticsResponseDto, operation_id="searchAssetStatistics")
def search_asset_statistics(body: dto.StatisticsSearchDto, ctx: StatisticsCtx, db: Db) -> dict[str, Any]:
    return {"total": metadata_search.count(db, ctx, body.model_dump(exclude_unset=True))}


@router.post("/random", response_model=list[dto.AssetResponseDto], operation_id="searchRandom")
def search_random(body: dto.RandomSearchDto, ctx: AssetReadCtx, db: Db) -> Response:
    f = body.model_dump(exclude_unset=True)
    return _json(_assets(db, metadata_search.random(db, ctx, f), f))


class LargeAssetSearchQuery(BaseModel):
    """Immich's searchLargeAssets takes its filters as query parameters (no body)."""

    albumIds: list[UUID] | None = None
    city: str | None = None
    country: str | None = None
    createdAfter: datetime | None = None
    createdBefore: datetime | None = None
    isEncoded: bool | None = None
    isFavorite: bool | None = None
    isMotion: bool | None = None
    isNotInAlbum: bool | None = None
    isOffline: bool | None = None
    lensModel: str | None = None
    libraryId: UUID | None = None
    make: str | None = None
    minFileSize: int | None = Field(None, ge=0, le=9007199254740991)
    model: str | None = None
    ocr: str | None = None
    personIds: list[UUID] | None = None
    rating: int | None = Field(None, ge=1, le=5)
    size: int | None = Field(None, ge=1, le=1000)
    state: str | None = None
    tagIds: list[UUID] | None = None
    takenAfter: datetime | None = None
    takenBefore: datetime | None = None
    trashedAfter: datetime | None = None
    trashedBefore: datetime | None = None
    type: dto.AssetTypeEnum | None = None
    updatedAfter: datetime | None = None
    updatedBefore: datetime | None = None
    visibility: dto.AssetVisibility | None = None
    withDeleted: bool | None = None
    withExif: bool | None = None


@router.post("/large-assets", response_model=list[dto.AssetResponseDto], operation_id="searchLargeAssets")
def search_large_assets(q: Annotated[LargeAssetSearchQuery, Query()], ctx: AssetReadCtx,
                        db: Db) -> Response:
    f = q.model_dump(exclude_unset=True)
    return _json(_assets(db, metadata_search.large(db, ctx, f), f))


@router.get("/explore", response_model=list[dto.SearchExploreResponseDto], operation_id="getExploreData")
def get_explore_data(ctx: AssetReadCtx, db: Db) -> list[dict[str, Any]]:
    """Immich's places ("exifInfo.city"), and beyond Immich the things seen most ("smartInfo.objects")."""
    return [{"fieldName": field["fieldName"],
             "items": [{"value": value, "data": mappers.asset(a, e)} for value, (a, e) in field["items"]]}
            for field in metadata_search.explore(db, ctx)]
