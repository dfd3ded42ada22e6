"""App-written strawberry types and root fields merge into the generated schema."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import strawberry

from examples.twooter.models import Twoot, User
from omega_gql import ConfigurationError, Context, create_app, func, select
from omega_gql.testing import OmegaClient, serve


@strawberry.type
class Stats:
    users: int
    twoots: int


@strawberry.type
class Query:
    @strawberry.field
    async def stats(self, info: strawberry.Info[Context, None]) -> Stats:
        app = info.context.app
        users = await app.scalar(select(func.count(User.id)))
        twoots = await app.scalar(select(func.count(Twoot.id)))
        return Stats(users=users, twoots=twoots)


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def post_as(self, info: strawberry.Info[Context, None], user_name: str, content: str) -> int:
        [(twoot_id,)] = await info.context.app.insert(
            Twoot, {"content": content, "user": {"user_name": user_name}}
        )
        return int(twoot_id)


@pytest.fixture
def custom(db_url: str) -> Iterator[OmegaClient]:
    app = create_app(models=[User, Twoot], database_url=db_url, query=Query, mutation=Mutation)
    with serve(app) as client:
        yield client


def test_custom_query_and_mutation_sit_beside_generated_fields(custom: OmegaClient) -> None:
    custom.graphql('mutation { insertUserOne(object: {userName: "ann"}) { id } }')
    data = custom.graphql('mutation { postAs(userName: "bob", content: "hey") }')
    assert isinstance(data["postAs"], int)
    data = custom.graphql("{ stats { users twoots } twoot { content author: user { userName } } }")
    assert data == {
        "stats": {"users": 2, "twoots": 1},
        "twoot": [{"content": "hey", "author": {"userName": "bob"}}],
    }


def test_a_custom_field_clashing_with_a_generated_one_fails_at_build_time() -> None:
    @strawberry.type
    class Clash:
        @strawberry.field
        def twoot(self) -> int:
            return 0

    with pytest.raises(ConfigurationError, match="'twoot' clashes"):
        create_app(models=[User, Twoot], database_url="sqlite://", query=Clash)


def test_a_document_mixing_custom_and_generated_fields_is_planned_once(
    custom: OmegaClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from omega_gql.graphql.plans import Planner

    planned: list[str] = []
    real_plan = Planner.plan

    def counting_plan(self, spec, *args, **kwargs):  # type: ignore[no-untyped-def]
        planned.append(spec.kind)
        return real_plan(self, spec, *args, **kwargs)

    monkeypatch.setattr(Planner, "plan", counting_plan)
    custom.graphql('mutation { insertUserOne(object: {userName: "ann"}) { id } }')
    query = "query($n: Int!) { stats { users } twoot(limit: $n) { id } user { userName } }"
    answers = [custom.graphql(query, {"n": n}) for n in (1, 2, 3)]
    assert [a["user"] for a in answers] == [[{"userName": "ann"}]] * 3
    assert planned == ["insert_one", "select", "select"]
