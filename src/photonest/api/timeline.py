"""/api/timeline: the month buckets and one bucket's assets (column-oriented). Rules in library.timeline."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Query
from fastapi.responses import Response

from photonest.api.deps import Db, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.library import timeline as timeline_lib
from photonest.library import timeline_cache
from photonest.library.auth import AuthContext

router = Router(prefix="/timeline", tags=["Timeline"])
AssetReadCtx = Annotated[AuthContext, Depends(auth("asset.read", shared_link=True))]


def timeline_query(
    albumId: Annotated[UUID | None, Query(description="Filter assets belonging to a specific album")] = None,
    bbox: Annotated[str | None, Query(description="Bounding box: west,south,east,north",
                                      examples=["11.075683,49.416711,11.117589,49.454875"])] = None,
    isFavorite: Annotated[bool | None, Query(description="Filter by favorite status")] = None,
    isTrashed: Annotated[bool | None, Query(description="Filter by trash status")] = None,
    key: Annotated[str | None, Query(description="Shared link key")] = None,
    order: Annotated[dto.AssetOrder | None, Query(description="Sort order")] = None,
    orderBy: Annotated[dto.AssetOrderBy | None, Query(description="Date the buckets are made of")] = None,
    personId: Annotated[UUID | None, Query(description="Filter assets containing a specific person")] = None,
    slug: Annotated[str | None, Query(description="Shared link slug")] = None,
    tagId: Annotated[UUID | None, Query(description="Filter assets with a specific tag")] = None,
    userId: Annotated[UUID | None, Query(description="Filter assets by owner")] = None,
    visibility: Annotated[dto.AssetVisibility | None, Query(description="Filter by visibility")] = None,
    withCoordinates: Annotated[bool | None, Query(description="Include location data")] = None,
    withPartners: Annotated[bool | None, Query(description="Include partner assets")] = None,
    withStacked: Annotated[bool | None, Query(description="Show stacks as their primary asset")] = None,
) -> timeline_lib.TimelineQuery:
    return timeline_lib.TimelineQuery(
        album_id=str(albumId) if albumId else None, person_id=str(personId) if personId else None,
        tag_id=str(tagId) if tagId else None, user_id=str(userId) if userId else None,
        is_favorite=isFavorite, is_trashed=isTrashed, visibility=visibility.value if visibility else None,
        with_partners=withPartners, with_stacked=withStacked, with_coordinates=withCoordinates,
        order=order.value if order else "desc", order_by=orderBy.value if orderBy else "takenAt", bbox=bbox,
    )


TimelineQueryDep = Annotated[timeline_lib.TimelineQuery, Depends(timeline_query)]


@router.get("/buckets", response_model=list[dto.TimeBucketsResponseDto], operation_id="getTimeBuckets")
def get_time_buckets(q: TimelineQueryDep, ctx: AssetReadCtx, db: Db) -> list[dict[str, Any]]:
    return timeline_lib.buckets(db, ctx, q)


@router.get("/bucket", response_model=dto.TimeBucketAssetResponseDto, operation_id="getTimeBucket")
def get_time_bucket(
    timeBucket: Annotated[str, Query(description="Time bucket identifier in YYYY-MM-DD format",
                                     examples=["2024-01-01"])],
    q: TimelineQueryDep, ctx: AssetReadCtx, db: Db,
) -> Response:
    return Response(timeline_cache.bucket_json(db, ctx, timeBucket, q), media_type="application/json")
