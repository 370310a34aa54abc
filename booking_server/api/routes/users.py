"""Extension: the user directory, so clients can show names and a master can pick a customer."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from booking_core.models import UserPublic
from booking_server.api.deps import CallerDep, ServicesDep
from booking_server.api.openapi import PROBLEMS

router = APIRouter(prefix="/users", tags=["users"])


class UserList(BaseModel):
    users: list[UserPublic]


@router.get("", response_model=UserList, responses=PROBLEMS(401, 429))
async def list_users(caller: CallerDep, services: ServicesDep) -> UserList:
    users = await services.store.users()
    return UserList(users=[user.public() for user in users])
