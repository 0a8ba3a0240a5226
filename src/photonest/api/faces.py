"""/api/faces (Immich's Faces tag): an asset's faces, adding one by hand, reassigning and deleting one.
HTTP only: the rules live in library.people."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Query, Request
from fastapi.responses import Response

from photonest.api.deps import Db, IdParam, auth
from photonest.api.dto import immich as dto
from photonest.api.people import person_dto
from photonest.api.routing import Router
from photonest.db.tables import AssetFace, Person
from photonest.library import people as people_lib
from photonest.library import smart_search
from photonest.library.auth import AuthContext

router = Router(prefix="/faces", tags=["Faces"])
FaceCreateCtx = Annotated[AuthContext, Depends(auth("face.create"))]
FaceDeleteCtx = Annotated[AuthContext, Depends(auth("face.delete"))]
FaceReadCtx = Annotated[AuthContext, Depends(auth("face.read"))]
FaceUpdateCtx = Annotated[AuthContext, Depends(auth("face.update"))]


def face_dto(f: AssetFace, p: Person | None) -> dict[str, Any]:
    """AssetFaceResponseDto: the box in pixels of the image it was found in (the preview)."""
    w, h = f.image_width, f.image_height
    return {
        "id": f.id, "imageWidth": w, "imageHeight": h,
        "boundingBoxX1": round(f.x1 * w), "boundingBoxY1": round(f.y1 * h),
        "boundingBoxX2": round(f.x2 * w), "boundingBoxY2": round(f.y2 * h),
        "person": person_dto(p) if p is not None else None, "sourceType": f.source_type,
    }


@router.get("", response_model=list[dto.AssetFaceResponseDto], operation_id="getFaces")
def get_faces(ctx: FaceReadCtx, db: Db, id: Annotated[UUID, Query(description="Asset ID")]) -> list[dict[str, Any]]:
    return [face_dto(f, p) for f, p in people_lib.faces_of_asset(db, ctx, str(id))]


@router.post("", status_code=201, operation_id="createFace", response_class=Response)
def create_face(body: dto.AssetFaceCreateDto, ctx: FaceCreateCtx, db: Db, request: Request) -> Response:
    f = people_lib.create_face(db, ctx, str(body.assetId), str(body.personId), body.x, body.y, body.width,
                               body.height, body.imageWidth, body.imageHeight)
    _retext(db, request, f.asset_id)
    return Response(status_code=201)


def _retext(db: Db, request: Request, asset_id: str) -> None:
    """Who is in a photo is part of its text embedding (smart search): make it again after the commit."""
    db.commit()
    smart_search.refresh_text(request.app.state.jobs, [asset_id])


@router.put("/{id}", response_model=dto.PersonResponseDto, operation_id="reassignFacesById")
def reassign_faces_by_id(id: IdParam, body: dto.FaceDto, ctx: FaceUpdateCtx, db: Db,
                         request: Request) -> dict[str, Any]:
    """Immich's naming: the path id is the person the face goes to, the body's id is the face."""
    out = person_dto(people_lib.reassign_face(db, ctx, str(id), str(body.id)))
    _retext(db, request, people_lib.get_face(db, ctx, str(body.id)).asset_id)
    return out


@router.delete("/{id}", status_code=204, operation_id="deleteFace")
def delete_face(id: IdParam, body: dto.AssetFaceDeleteDto, ctx: FaceDeleteCtx, db: Db,
                request: Request) -> Response:
    asset_id = people_lib.get_face(db, ctx, str(id), "face.delete").asset_id
    people_lib.delete_face(db, ctx, str(id))
    _retext(db, request, asset_id)
    return Response(status_code=204)
