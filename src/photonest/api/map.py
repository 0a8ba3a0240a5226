"""/api/map: the markers of the caller's positioned assets and offline reverse geocoding (library.places)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query
from fastapi.responses import Response

from photonest.api.deps import AppSettings, Db, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.library import places
from photonest.library.auth import AuthContext

router = Router(prefix="/map", tags=["Map"])
MapReadCtx = Annotated[AuthContext, Depends(auth("map.read"))]
MapSearchCtx = Annotated[AuthContext, Depends(auth("map.search"))]


@router.get("/markers", response_model=list[dto.MapMarkerResponseDto], operation_id="getMapMarkers")
def get_map_markers(
    ctx: MapReadCtx, db: Db,
    fileCreatedAfter: Annotated[datetime | None, Query(description="Filter assets created after this date")] = None,
    fileCreatedBefore: Annotated[datetime | None, Query(description="Filter assets created before this date")] = None,
    isArchived: Annotated[bool | None, Query(description="Filter by archived status")] = None,
    isFavorite: Annotated[bool | None, Query(description="Filter by favorite status")] = None,
    withPartners: Annotated[bool | None, Query(description="Include partner assets")] = None,
    withSharedAlbums: Annotated[bool | None, Query(description="Include shared album assets")] = None,
) -> Response:
    body = places.markers_json(db, ctx.user.id, places.MarkerFilter(
        is_archived=isArchived, is_favorite=isFavorite,
        file_created_after=fileCreatedAfter, file_created_before=fileCreatedBefore,
        with_partners=bool(withPartners), with_shared_albums=bool(withSharedAlbums)))
    # Already JSON (written by the database): not re-validated item by item through the response model.
    return Response(body, media_type="application/json")


@router.get("/reverse-geocode", response_model=list[dto.MapReverseGeocodeResponseDto],
            operation_id="reverseGeocode")
def reverse_geocode(
    ctx: MapSearchCtx,
    lat: Annotated[float, Query(description="Latitude (-90 to 90)")],
    lon: Annotated[float, Query(description="Longitude (-180 to 180)")],
) -> list[dict[str, str | None]]:
    return places.reverse_geocode(lat, lon)


@router.get("/style.json", operation_id="getMapStyle", include_in_schema=False)
def map_style(settings: AppSettings, theme: Annotated[str, Query(pattern="^(light|dark)$")] = "light"
              ) -> dict[str, object]:
    """Ours: a MapLibre style over the configured tile URL, which server/config's mapLightStyleUrl and
    mapDarkStyleUrl point to. Public, as map styles are (MapLibre fetches it without the app's token)."""
    if not settings.map_enabled:
        from photonest.library import errors

        raise errors.NotFound("The map is disabled")
    return places.map_style(settings, theme)
