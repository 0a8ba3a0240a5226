"""/api/search: the place and camera parts so far (cities, places, suggestions); the rules live in library.places."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.responses import JSONResponse

from photonest.api import mappers
from photonest.api.deps import AppSettings, Db, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.db.tables import AssetExif
from photonest.library import places, smart_search
from photonest.library.auth import AuthContext

router = Router(prefix="/search", tags=["Search"])
AssetReadCtx = Annotated[AuthContext, Depends(auth("asset.read"))]


@router.get("/cities", response_model=list[dto.AssetResponseDto], operation_id="getAssetsByCity")
def get_assets_by_city(ctx: AssetReadCtx, db: Db) -> list[dict[str, Any]]:
    return [mappers.asset(a, db.get(AssetExif, a.id)) for a in places.assets_by_city(db, ctx.user.id)]


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
    values = places.suggestions(db, ctx.user.id, type.value, country=country, state=state, make=make, model=model,
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
