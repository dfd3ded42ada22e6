"""Twooter: users post short messages; everything but the chat page and presence is
generated."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from pathlib import Path

import strawberry
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.templating import Jinja2Templates

from omega_gql import Context, create_app, func, select
from omega_gql.service import Nested, OnConflict

from .models import Twoot, User
from .presence import Presence

presence = Presence()


@strawberry.type
class Query:
    @strawberry.field(description="How many twoots a user has posted.")
    async def twoot_count_by_user(
        self, info: strawberry.Info[Context, None], user_name: str
    ) -> int:
        stmt = select(func.count(Twoot.id)).join(Twoot.user).where(User.user_name == user_name)
        return int(await info.context.app.scalar(stmt))


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Who is in the chat, each time someone comes or goes; `user` is counted "
        "in while subscribed."
    )
    async def presence(
        self, info: strawberry.Info[Context, None], user: str | None = None
    ) -> AsyncGenerator[list[str], None]:
        async for names in presence.follow(info.context.app, (user or "").strip()[:64] or None):
            yield names


app = create_app(__name__, query=Query, subscription=Subscription)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

STORED = "query($id: Int!) { twootByPk(id: $id) { id content postedAt user { id userName } } }"


@app.route("/chat", methods=["GET"])
async def chat_page(request: Request) -> Response:
    """Two tabs on this page chat: the list is a live query, presence a channel."""
    return templates.TemplateResponse(request, "chat.html", {"endpoint": "/graphql"})


@app.route("/chat", methods=["POST"])
async def chat(request: Request) -> Response:
    """The curl-compatible chat entry: form fields ``user`` and ``message``; answers 201
    with the stored message, or 400 naming the missing fields (nothing is written)."""
    form = await request.form()
    fields = {name: str(form.get(name, "")).strip() for name in ("user", "message")}
    missing = {name: ["This field is required."] for name, value in fields.items() if not value}
    if missing:
        return JSONResponse(missing, status_code=400)
    author = Nested(({"user_name": fields["user"]},), OnConflict("user_user_name_key"))
    [(twoot_id,)] = await app.insert(Twoot, {"content": fields["message"], "user": author})
    stored = await app.execute(STORED, {"id": twoot_id})
    return JSONResponse(stored["data"]["twootByPk"], status_code=201)
