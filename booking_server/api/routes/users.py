"""Extension: the user directory, so clients can show names and a master can pick a customer."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from booking_core.models import Role, UserPublic
from booking_server.api.deps import CallerDep, ServicesDep
from booking_server.api.openapi import PROBLEMS

router = APIRouter(prefix="/users", tags=["users"])


class UserList(BaseModel):
    users: list[UserPublic]


@router.get("", response_model=UserList, responses=PROBLEMS(401, 429))
async def list_users(caller: CallerDep, services: ServicesDep) -> UserList:
    """Masters see everyone (they book for customers); customers see the masters and themselves."""
    users = await services.store.users()
    if caller.user.role is Role.CUSTOMER:
        users = [u for u in users if u.role is Role.MASTER or u.id == caller.user.id]
    return UserList(users=[user.public() for user in users])
