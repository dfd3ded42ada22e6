"""Twooter: users post short messages; everything but the chat entry is generated."""

from __future__ import annotations

import strawberry
from starlette.requests import Request
from starlette.responses import PlainTextResponse

from omega_gql import Context, create_app, func, select
from omega_gql.service import Nested, OnConflict

from .models import Twoot, User


@strawberry.type
class Query:
    @strawberry.field(description="How many twoots a user has posted.")
    async def twoot_count_by_user(
        self, info: strawberry.Info[Context, None], user_name: str
    ) -> int:
        stmt = select(func.count(Twoot.id)).join(Twoot.user).where(User.user_name == user_name)
        return int(await info.context.app.scalar(stmt))


app = create_app(__name__, query=Query)


@app.route("/chat", methods=["POST"])
async def chat(request: Request) -> PlainTextResponse:
    """The curl-compatible chat entry: form fields ``user`` and ``message``."""
    form = await request.form()
    user, message = str(form.get("user", "")).strip(), str(form.get("message", "")).strip()
    if not user or not message:
        return PlainTextResponse("both 'user' and 'message' are required\n", status_code=400)
    author = Nested(({"user_name": user},), OnConflict("user_user_name_key"))
    [(twoot_id,)] = await app.insert(Twoot, {"content": message, "user": author})
    return PlainTextResponse(f"twoot {twoot_id} posted\n", status_code=201)
