"""/api/assets/{id}/ocr: the text lines read in an asset (Immich's AssetOcrResponseDto)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends

from photonest.api.deps import Db, IdParam, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.db.tables import AssetOcr
from photonest.library import ocr as ocr_lib
from photonest.library.auth import AuthContext

router = Router(prefix="/assets", tags=["Assets"])
AssetReadCtx = Annotated[AuthContext, Depends(auth("asset.read"))]


def ocr_line_dto(row: AssetOcr) -> dict[str, Any]:
    return {"id": row.id, "assetId": row.asset_id, "x1": row.x1, "y1": row.y1, "x2": row.x2, "y2": row.y2,
            "x3": row.x3, "y3": row.y3, "x4": row.x4, "y4": row.y4, "boxScore": row.box_score,
            "textScore": row.text_score, "text": row.text}


@router.get("/{id}/ocr", response_model=list[dto.AssetOcrResponseDto], operation_id="getAssetOcr")
def get_asset_ocr(id: IdParam, ctx: AssetReadCtx, db: Db) -> list[dict[str, Any]]:
    """Retrieve all OCR (Optical Character Recognition) data associated with the specified asset."""
    return [ocr_line_dto(r) for r in ocr_lib.get_asset_ocr(db, ctx, str(id))]
