"""/api/people (Immich's People tag), GET /api/search/person, and /api/people/suggestions (ours: "is this the same
person?" pairs for the web UI). HTTP only: the rules live in library.people."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field

from photonest.api import mappers
from photonest.api.assets import ids_of
from photonest.api.deps import AppSettings, Db, IdParam, auth
from photonest.api.dto import immich as dto
from photonest.api.routing import Router
from photonest.db.tables import Person
from photonest.library import people as people_lib
from photonest.library import smart_search
from photonest.library.auth import AuthContext

router = Router(prefix="/people", tags=["People"])
search_router = Router(prefix="/search", tags=["Search"])
PersonCreateCtx = Annotated[AuthContext, Depends(auth("person.create"))]
PersonDeleteCtx = Annotated[AuthContext, Depends(auth("person.delete"))]
PersonMergeCtx = Annotated[AuthContext, Depends(auth("person.merge"))]
PersonReadCtx = Annotated[AuthContext, Depends(auth("person.read"))]
PersonReassignCtx = Annotated[AuthContext, Depends(auth("person.reassign"))]
PersonStatisticsCtx = Annotated[AuthContext, Depends(auth("person.statistics"))]
PersonUpdateCtx = Annotated[AuthContext, Depends(auth("person.update"))]
BINARY: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}


def person_dto(p: Person) -> dict[str, Any]:
    """PersonResponseDto."""
    return {
        "id": p.id, "name": p.name, "birthDate": p.birth_date.isoformat() if p.birth_date else None,
        "thumbnailPath": people_lib.thumbnail_key(p), "isHidden": p.is_hidden, "isFavorite": p.is_favorite,
        "updatedAt": mappers.iso(p.updated_at), **({"color": p.color} if p.color else {}),
    }


@router.get("", response_model=dto.PeopleResponseDto, operation_id="getAllPeople")
def get_all_people(
    ctx: PersonReadCtx, db: Db,
    closestAssetId: Annotated[str | None, Query(description="Closest asset ID for similarity search")] = None,
    closestPersonId: Annotated[str | None, Query(description="Closest person ID for similarity search")] = None,
    page: Annotated[int, Query(ge=1, le=9007199254740991, description="Page number for pagination")] = 1,
    size: Annotated[int, Query(ge=1, le=1000, description="Number of items per page")] = 500,
    withHidden: Annotated[bool | None, Query(description="Include hidden people")] = None,
) -> dict[str, Any]:
    people, total, hidden, more = people_lib.list_people(
        db, ctx, with_hidden=bool(withHidden), page=page, size=size,
        closest_person_id=closestPersonId, closest_asset_id=closestAssetId)
    return {"people": [person_dto(p) for p in people], "total": total, "hidden": hidden, "hasNextPage": more}


@router.post("", status_code=201, response_model=dto.PersonResponseDto, operation_id="createPerson")
def create_person(body: dto.PersonCreateDto, ctx: PersonCreateCtx, db: Db) -> dict[str, Any]:
    return person_dto(people_lib.create_person(db, ctx, body.model_dump(exclude_unset=True, mode="json")))


@router.put("", response_model=list[dto.BulkIdResponseDto], operation_id="updatePeople")
def update_people(body: dto.PeopleUpdateDto, ctx: PersonUpdateCtx, db: Db, request: Request) -> list[dict[str, Any]]:
    items = [i.model_dump(exclude_unset=True, mode="json") for i in body.people]
    out = people_lib.update_people(db, ctx, items)
    renamed = [str(i["id"]) for i, r in zip(items, out, strict=True) if r["success"] and "name" in i]
    _names_changed(db, request, renamed)
    return out


def _names_changed(db: Db, request: Request, person_ids: list[str]) -> None:
    """A person's name is in the text embedding of each of their photos: queue those again (after the
    commit)."""
    if not person_ids:
        return
    asset_ids = people_lib.asset_ids_of_people(db, person_ids)
    db.commit()
    smart_search.refresh_text(request.app.state.jobs, asset_ids)


@router.delete("", status_code=204, operation_id="deletePeople")
def delete_people(body: dto.BulkIdsDto, ctx: PersonDeleteCtx, db: Db, request: Request) -> Response:
    _retext(db, request, people_lib.delete_people(db, ctx, ids_of(body.ids)))
    return Response(status_code=204)


def _retext(db: Db, request: Request, asset_ids: list[str]) -> None:
    """These photos' smart-search text changed (a name left them): make it again, after the commit."""
    if asset_ids:
        db.commit()
        smart_search.refresh_text(request.app.state.jobs, asset_ids)


@router.get("/suggestions", operation_id="getPersonMergeSuggestions", tags=["People"],
            summary="Pairs of people that may be the same person (photonest; not in Immich)")
def get_merge_suggestions(ctx: PersonReadCtx, db: Db, settings: AppSettings,
                          limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[dict[str, Any]]:
    """Each item: two people and a score in 0..1 (1 = surely one person), most likely first. Merging is
    POST /people/{id}/merge; nothing is merged automatically."""
    rules = people_lib.FaceRules.from_settings(settings)
    return [{"person": person_dto(a), "other": person_dto(b), "score": s}
            for a, b, s in people_lib.merge_suggestions(db, ctx, rules, limit)]


class SuggestionAnswerDto(BaseModel):
    """The user's answer to a merge suggestion (photonest)."""

    personId: UUID
    otherId: UUID
    samePerson: bool = Field(description="true: merge otherId into personId; false: never suggest or merge them")


@router.post("/suggestions/answers", operation_id="answerPersonMergeSuggestion", tags=["People"],
             response_model=list[dto.BulkIdResponseDto],
             summary="Answer \"is this the same person?\" (photonest; not in Immich)")
def answer_suggestion(body: SuggestionAnswerDto, ctx: PersonMergeCtx, db: Db,
                      request: Request) -> list[dict[str, Any]]:
    """Yes merges (the merge's result, as POST /people/{id}/merge); no is remembered and answered with []:
    the pair is never suggested again and no re-cluster merges them."""
    out = people_lib.answer_suggestion(db, ctx, str(body.personId), str(body.otherId), body.samePerson)
    if out:
        _names_changed(db, request, [str(body.personId)])
    return out


@router.delete("/suggestions/answers", status_code=204, operation_id="forgetPersonMergeAnswer", tags=["People"],
               summary="Withdraw a \"not the same person\" answer (photonest; not in Immich)")
def forget_answer(ctx: PersonUpdateCtx, db: Db, personId: Annotated[UUID, Query()],
                  otherId: Annotated[UUID, Query()]) -> Response:
    people_lib.forget_answer(db, ctx, str(personId), str(otherId))
    return Response(status_code=204)


@router.get("/{id}", response_model=dto.PersonResponseDto, operation_id="getPerson")
def get_person(id: IdParam, ctx: PersonReadCtx, db: Db) -> dict[str, Any]:
    return person_dto(people_lib.get_person(db, ctx, str(id)))


@router.put("/{id}", response_model=dto.PersonResponseDto, operation_id="updatePerson")
def update_person(id: IdParam, body: dto.PersonUpdateDto, ctx: PersonUpdateCtx, db: Db,
                  request: Request) -> dict[str, Any]:
    fields = body.model_dump(exclude_unset=True, mode="json")
    out = person_dto(people_lib.update_person(db, ctx, str(id), fields))
    if "name" in fields:
        _names_changed(db, request, [str(id)])
    return out


@router.delete("/{id}", status_code=204, operation_id="deletePerson")
def delete_person(id: IdParam, ctx: PersonDeleteCtx, db: Db, request: Request) -> Response:
    _retext(db, request, people_lib.delete_people(db, ctx, [str(id)]))
    return Response(status_code=204)


@router.post("/{id}/merge", response_model=list[dto.BulkIdResponseDto], operation_id="mergePerson")
def merge_person(id: IdParam, body: dto.MergePersonDto, ctx: PersonMergeCtx, db: Db,
                 request: Request) -> list[dict[str, Any]]:
    out = people_lib.merge(db, ctx, str(id), ids_of(body.ids))
    if any(r["success"] for r in out):
        _names_changed(db, request, [str(id)])
    return out


@router.put("/{id}/reassign", response_model=list[dto.PersonResponseDto], operation_id="reassignFaces")
def reassign_faces(id: IdParam, body: dto.AssetFaceUpdateDto, ctx: PersonReassignCtx, db: Db,
                   request: Request) -> list[dict[str, Any]]:
    items = [(str(i.assetId), str(i.personId)) for i in body.data]
    out = [person_dto(p) for p in people_lib.reassign(db, ctx, str(id), items)]
    if items:  # who is in these photos changed: their text embeddings are made again
        db.commit()
        smart_search.refresh_text(request.app.state.jobs, [a for a, _ in items])
    return out


@router.get("/{id}/statistics", response_model=dto.PersonStatisticsResponseDto, operation_id="getPersonStatistics")
def get_person_statistics(id: IdParam, ctx: PersonStatisticsCtx, db: Db) -> dict[str, int]:
    return {"assets": people_lib.statistics(db, ctx, str(id))}


@router.get("/{id}/thumbnail", operation_id="getPersonThumbnail", response_class=FileResponse, responses=BINARY)
def get_person_thumbnail(id: IdParam, ctx: PersonReadCtx, db: Db, settings: AppSettings) -> Response:
    path = people_lib.thumbnail(db, ctx, settings, str(id))
    return FileResponse(path, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=86400"})


@search_router.get("/person", response_model=list[dto.PersonResponseDto], operation_id="searchPerson")
def search_person(ctx: PersonReadCtx, db: Db,
                  name: Annotated[str, Query(description="Person name to search for")],
                  withHidden: Annotated[bool | None, Query(description="Include hidden people")] = None,
                  ) -> list[dict[str, Any]]:
    return [person_dto(p) for p in people_lib.search_people(db, ctx, name, bool(withHidden))]


def asset_people(db: Db, asset_id: str) -> list[dict[str, Any]]:
    """AssetResponseDto.people for one asset (the caller has checked access to the asset)."""
    return [person_dto(p) for p in people_lib.people_of_asset(db, asset_id)]
