"""/api/partners: share my library with another user, and see who shares theirs with me."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Response

from photonest.api import mappers
from photonest.api.deps import Db, IdParam, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.db.tables import Partner, User
from photonest.library import partners as partners_lib
from photonest.library.auth import AuthContext

router = Router(prefix="/partners", tags=["Partners"])
PartnerReadCtx = Annotated[AuthContext, Depends(auth("partner.read"))]
PartnerCreateCtx = Annotated[AuthContext, Depends(auth("partner.create"))]
PartnerUpdateCtx = Annotated[AuthContext, Depends(auth("partner.update"))]
PartnerDeleteCtx = Annotated[AuthContext, Depends(auth("partner.delete"))]


def _dto(user: User, p: Partner) -> dict[str, Any]:
    return {**mappers.user(user), "inTimeline": p.in_timeline}


@router.get("", response_model=list[dto.PartnerResponseDto], operation_id="getPartners")
def get_partners(ctx: PartnerReadCtx, db: Db,
                 direction: dto.PartnerDirection = Query(...)) -> list[dict[str, Any]]:
    return [_dto(u, p) for u, p in partners_lib.list_partners(db, ctx, direction.value)]


@router.post("", status_code=201, response_model=dto.PartnerResponseDto, operation_id="createPartner")
def create_partner(body: dto.PartnerCreateDto, ctx: PartnerCreateCtx, db: Db) -> dict[str, Any]:
    return _dto(*partners_lib.create(db, ctx, str(body.sharedWithId)))


@router.post("/{id}", status_code=201, response_model=dto.PartnerResponseDto,
             operation_id="createPartnerDeprecated", deprecated=True)
def create_partner_deprecated(id: IdParam, ctx: PartnerCreateCtx, db: Db) -> dict[str, Any]:
    return _dto(*partners_lib.create(db, ctx, str(id)))


@router.put("/{id}", response_model=dto.PartnerResponseDto, operation_id="updatePartner")
def update_partner(id: IdParam, body: dto.PartnerUpdateDto, ctx: PartnerUpdateCtx, db: Db) -> dict[str, Any]:
    return _dto(*partners_lib.update(db, ctx, str(id), in_timeline=body.inTimeline))


@router.delete("/{id}", status_code=204, operation_id="removePartner")
def remove_partner(id: IdParam, ctx: PartnerDeleteCtx, db: Db) -> Response:
    partners_lib.remove(db, ctx, str(id))
    return Response(status_code=204)
