"""App-written strawberry types and root fields merge into the generated schema."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import strawberry

from examples.twooter.models import Twoot, User
from omega_gql import (
    ChangeEvent,
    ConfigurationError,
    ConstraintViolation,
    Context,
    OmegaApp,
    create_app,
    func,
    select,
)
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

    @strawberry.field
    async def twoot_count_by_user(
        self, info: strawberry.Info[Context, None], user_name: str
    ) -> int:
        stmt = select(func.count(Twoot.id)).join(Twoot.user).where(User.user_name == user_name)
        return int(await info.context.app.scalar(stmt))


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def post_as(
        self, info: strawberry.Info[Context, None], user_name: str, content: str
    ) -> int:
        [(twoot_id,)] = await info.context.app.insert(
            Twoot, {"content": content, "user": {"user_name": user_name}}
        )
        return int(twoot_id)

    @strawberry.mutation
    async def fail(self, message: str) -> bool:
        raise ValueError(message)

    @strawberry.mutation
    async def join_unless_taken(self, info: strawberry.Info[Context, None], user_name: str) -> bool:
        """Tries to insert a user; a refused insert is caught and answered as false."""
        try:
            await info.context.app.insert(User, {"user_name": user_name})
        except ConstraintViolation:
            return False
        return True

    @strawberry.mutation
    async def in_unit(self, info: strawberry.Info[Context, None]) -> bool:
        return info.context.unit is not None


@pytest.fixture
def custom_app(db_url: str) -> OmegaApp:
    return create_app(models=[User, Twoot], database_url=db_url, query=Query, mutation=Mutation)


@pytest.fixture
def custom(custom_app: OmegaApp) -> Iterator[OmegaClient]:
    with serve(custom_app) as client:
        yield client


def user_names(client: OmegaClient) -> list[str]:
    return [
        u["userName"] for u in client.graphql("{ user(orderBy: {id: ASC}) { userName } }")["user"]
    ]


@pytest.mark.parametrize(
    "document",
    [
        'mutation { insertUserOne(object: {userName: "ann"}) { id } fail(message: "no") }',
        'mutation { postAs(userName: "ann", content: "hi") fail(message: "no") }',
        'mutation { fail(message: "no") insertUserOne(object: {userName: "ann"}) { id } }',
    ],
    ids=["generated-then-error", "app-write-then-error", "error-first"],
)
def test_a_mutation_document_that_errors_anywhere_commits_nothing(
    custom: OmegaClient, custom_app: OmegaApp, document: str
) -> None:
    published: list[object] = []
    custom_app.on_change(published.append)
    body = custom.graphql_response(document)
    assert body["data"] is None
    assert [e["path"] for e in body["errors"]] == [["fail"]]
    assert user_names(custom) == []
    assert published == []


def test_app_written_and_generated_mutations_commit_as_one_unit(
    custom: OmegaClient, custom_app: OmegaApp
) -> None:
    published: list[ChangeEvent] = []
    custom_app.on_change(published.append)
    data = custom.graphql(
        'mutation { a: insertUserOne(object: {userName: "ann"}) { id }'
        ' inUnit postAs(userName: "bob", content: "hi")'
        ' b: insertUserOne(object: {userName: "cy"}) { id } }'
    )
    assert data["inUnit"] is True and data["a"] == {"id": 1} and data["b"] == {"id": 3}
    assert user_names(custom) == ["ann", "bob", "cy"]
    # One transaction: its events come together, merged per table and operation.
    assert sorted((e.table, e.op, e.pks) for e in published) == [
        ("twoot", "insert", ((1,),)),
        ("user", "insert", ((1,), (2,), (3,))),
    ]
    assert len({e.seq for e in published}) == 2


def test_a_refused_write_caught_by_the_app_undoes_only_itself(custom: OmegaClient) -> None:
    custom.graphql('mutation { insertUserOne(object: {userName: "ann"}) { id } }')
    data = custom.graphql(
        'mutation { a: joinUnlessTaken(userName: "bob") b: joinUnlessTaken(userName: "ann")'
        ' c: insertUserOne(object: {userName: "cy"}) { userName } }'
    )
    assert data == {"a": True, "b": False, "c": {"userName": "cy"}}
    assert user_names(custom) == ["ann", "bob", "cy"]


def test_reads_by_other_requests_go_on_while_a_mutation_document_is_open(
    custom_app: OmegaApp,
) -> None:
    import asyncio

    async def scenario() -> tuple[list[dict[str, object]], dict[str, object]]:
        entered, release = asyncio.Event(), asyncio.Event()

        async def slow_app_mutation() -> None:
            async with custom_app.writes.transaction():
                await custom_app.insert(User, {"user_name": "ann"})
                entered.set()
                await asyncio.wait_for(release.wait(), 5)

        task = asyncio.create_task(slow_app_mutation())
        await asyncio.wait_for(entered.wait(), 5)
        # Another request meanwhile: answered without waiting, and without the open
        # transaction's uncommitted row.
        during = await asyncio.wait_for(custom_app.execute("{ user { userName } }"), 2)
        release.set()
        await asyncio.wait_for(task, 5)
        after = await custom_app.execute("{ user { userName } }")
        return during["data"]["user"], after["data"]  # type: ignore[return-value]

    with serve(custom_app):
        during, after = asyncio.run(scenario())
    assert during == []
    assert after == {"user": [{"userName": "ann"}]}


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


def test_merged_fields_beside_an_app_written_field_answer_whole(custom: OmegaClient) -> None:
    custom.graphql('mutation { postAs(userName: "ann", content: "hi") }')
    data = custom.graphql(
        "{ stats { users } twoot { id user { id } user { userName } ...F } }"
        " fragment F on Twoot { content }"
    )
    assert data == {
        "stats": {"users": 1},
        "twoot": [{"id": 1, "user": {"id": 1, "userName": "ann"}, "content": "hi"}],
    }


def test_a_value_the_database_refuses_in_an_app_field_is_validation_failed(
    custom: OmegaClient, custom_app: OmegaApp
) -> None:
    # PostgreSQL refuses NUL in text; SQLite stores it. Either way no `unexpected`.
    for query in (
        '{ twootCountByUser(userName: "a\\u0000b") }',
        '{ user(where: {userName: {_eq: "a\\u0000b"}}) { id } }',
    ):
        body = custom.graphql_response(query)
        if custom_app.database.is_sqlite:
            assert "errors" not in body, body
        else:
            [error] = body["errors"]
            assert error["extensions"]["code"] == "validation-failed", error
            assert "NUL" in error["message"]
