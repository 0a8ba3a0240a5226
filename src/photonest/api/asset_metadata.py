"""/api/assets/{id}/metadata and /api/assets/metadata: per-asset key/value metadata (library.asset_metadata).

Listed in app.ROUTERS before the assets router, whose PUT/DELETE /assets/{id} would otherwise take
/assets/metadata."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Path, Response

from photonest.api import mappers
from photonest.api.deps import Db, IdParam, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.db.tables import AssetMetadata
from photonest.library import asset_metadata as lib
from photonest.library.auth import AuthContext

router = Router(prefix="/assets", tags=["Assets"])
AssetReadCtx = Annotated[AuthContext, Depends(auth("asset.read"))]
AssetUpdateCtx = Annotated[AuthContext, Depends(auth("asset.update"))]
KeyParam = Annotated[str, Path(description="Metadata key")]


def item_dto(row: AssetMetadata) -> dict[str, Any]:
    return {"key": row.key, "value": row.value, "updatedAt": mappers.iso(row.updated_at)}


def bulk_item_dto(row: AssetMetadata) -> dict[str, Any]:
    return {"assetId": row.asset_id, **item_dto(row)}


@router.put("/metadata", response_model=list[dto.AssetMetadataBulkResponseDto],
            operation_id="updateBulkAssetMetadata")
def update_bulk_asset_metadata(body: dto.AssetMetadataBulkUpsertDto, ctx: AssetUpdateCtx,
                               db: Db) -> list[dict[str, Any]]:
    """Upsert metadata key-value pairs for multiple assets."""
    items = [lib.Item(str(i.assetId), i.key, i.value) for i in body.items]
    return [bulk_item_dto(r) for r in lib.upsert(db, ctx, items)]


@router.delete("/metadata", status_code=204, operation_id="deleteBulkAssetMetadata")
def delete_bulk_asset_metadata(body: dto.AssetMetadataBulkDeleteDto, ctx: AssetUpdateCtx, db: Db) -> Response:
    """Delete metadata key-value pairs for multiple assets."""
    lib.delete_items(db, ctx, [lib.Item(str(i.assetId), i.key) for i in body.items])
    return Response(status_code=204)


@router.get("/{id}/metadata", response_model=list[dto.AssetMetadataResponseDto], operation_id="getAssetMetadata")
def get_asset_metadata(id: IdParam, ctx: AssetReadCtx, db: Db) -> list[dict[str, Any]]:
    """Retrieve all metadata key-value pairs associated with the specified asset."""
    return [item_dto(r) for r in lib.list_for(db, ctx, str(id))]


@router.put("/{id}/metadata", response_model=list[dto.AssetMetadataResponseDto],
            operation_id="updateAssetMetadata")
def update_asset_metadata(id: IdParam, body: dto.AssetMetadataUpsertDto, ctx: AssetUpdateCtx,
                          db: Db) -> list[dict[str, Any]]:
    """Update or add metadata key-value pairs for the specified asset."""
    items = [lib.Item(str(id), i.key, i.value) for i in body.items]
    return [item_dto(r) for r in lib.upsert(db, ctx, items, str(id))]


@router.get("/{id}/metadata/{key}", response_model=dto.AssetMetadataResponseDto,
            operation_id="getAssetMetadataByKey")
def get_asset_metadata_by_key(id: IdParam, key: KeyParam, ctx: AssetReadCtx, db: Db) -> dict[str, Any]:
    """Retrieve the value of a specific metadata key associated with the specified asset."""
    return item_dto(lib.get(db, ctx, str(id), key))


@router.delete("/{id}/metadata/{key}", status_code=204, operation_id="deleteAssetMetadata")
def delete_asset_metadata(id: IdParam, key: KeyParam, ctx: AssetUpdateCtx, db: Db) -> Response:
    """Delete a specific metadata key-value pair associated with the specified asset."""
    lib.delete_items(db, ctx, [lib.Item(str(id), key)])
    return Response(status_code=204)
