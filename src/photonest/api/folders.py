"""/api/view/folder: browse the caller's assets by the folder of their original file (library.folders)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query

from photonest.api import mappers
from photonest.api.deps import Db, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.library import folders as lib
from photonest.library.auth import AuthContext

router = Router(prefix="/view", tags=["Views"])
FolderCtx = Annotated[AuthContext, Depends(auth("folder.read"))]


@router.get("/folder/unique-paths", response_model=list[str], operation_id="getUniqueOriginalPaths")
def get_unique_original_paths(ctx: FolderCtx, db: Db) -> list[str]:
    """Retrieve a list of unique folder paths from asset original paths."""
    return lib.unique_paths(db, ctx)


@router.get("/folder", response_model=list[dto.AssetResponseDto], operation_id="getAssetsByOriginalPath")
def get_assets_by_original_path(ctx: FolderCtx, db: Db, path: Annotated[str, Query()]) -> list[dict[str, Any]]:
    """Retrieve assets that are children of a specific folder."""
    return [mappers.asset(a, e) for a, e in lib.assets_in(db, ctx, path)]
