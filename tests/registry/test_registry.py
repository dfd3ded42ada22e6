"""The registry: what it learns from the models, and the errors it raises at build time."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import DeclarativeBase, relationship

from examples.twooter.models import Twoot, User
from omega_gql import ConfigurationError, create_app
from omega_gql.registry import Naming, Registry, discover
from omega_gql.registry.naming import pascal


def test_columns_keys_uniques_and_relationships_both_ways() -> None:
    registry = Registry([User, Twoot])
    user, twoot = registry.of(User), registry.of(Twoot)
    assert [c.name for c in twoot.columns] == ["id", "content", "posted_at", "user_id"]
    assert twoot.primary_key == ("id",)
    assert twoot.column("content").is_required and not twoot.column("posted_at").is_required
    assert [u.name for u in user.uniques] == ["user_pkey", "user_user_name_key"]
    assert twoot.relation("user").pairs == (("user_id", "id"),)
    assert not twoot.relation("user").is_array
    assert user.relation("twoots").is_array and user.relation("twoots").target == "twoot"


def test_models_are_discovered_from_the_app_module() -> None:
    import examples.twooter.app  # noqa: F401 - imported so discovery can see it

    assert {m.__name__ for m in discover("examples.twooter.app")} == {"User", "Twoot"}


@pytest.mark.parametrize(
    ("convention", "expected"),
    [
        (
            "graphql-default",
            (
                "twootByPk",
                "insertTwootOne",
                "TwootBoolExp",
                "userName",
                "_isNull",
                "DESC_NULLS_LAST",
            ),
        ),
        (
            "hasura-default",
            (
                "twoot_by_pk",
                "insert_twoot_one",
                "twoot_bool_exp",
                "user_name",
                "_is_null",
                "desc_nulls_last",
            ),
        ),
    ],
    ids=["graphql-default", "hasura-default"],
)
def test_naming_conventions(convention: str, expected: tuple[str, ...]) -> None:
    n = Naming.named(convention)
    got = (
        n.root("twoot", "by_pk"),
        n.root("insert", "twoot", "one"),
        n.type("twoot", "bool_exp"),
        n.field("user_name"),
        n.operator("_is_null"),
        n.enum_value("desc_nulls_last"),
    )
    assert got == expected


class _Base(DeclarativeBase):
    pass


_tags = Table(
    "tag_link",
    _Base.metadata,
    Column("post_id", ForeignKey("post.id")),
    Column("tag_id", ForeignKey("tag.id")),
)


class Tag(_Base):
    __tablename__ = "tag"
    id = Column(Integer, primary_key=True)


class Post(_Base):
    __tablename__ = "post"
    id = Column(Integer, primary_key=True)
    title = Column(String)
    tags = relationship(Tag, secondary=_tags)


def test_unsupported_relationship_fails_at_build_time_with_a_fix() -> None:
    with pytest.raises(ConfigurationError, match="Post.tags.*Possible fix"):
        Registry([Post, Tag])


def test_a_relationship_to_a_model_not_served_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="Twoot.user points to table 'user'"):
        Registry([Twoot])


def test_no_models_is_a_clear_error() -> None:
    with pytest.raises(ConfigurationError, match="no models found"):
        create_app("tests.registry.test_registry_nothing_here", database_url="sqlite://")


def test_an_unsupported_database_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="not supported"):
        create_app(models=[User, Twoot], database_url="mysql://localhost/db")


def _model_named_item(module: str, table: str) -> type:
    """A model class called ``Item``, as if defined in ``module``."""
    namespace = {
        "__module__": module,
        "__tablename__": table,
        "id": Column(Integer, primary_key=True),
        "label": Column(String),
    }
    return type("Item", (_Base,), namespace)


_ShopItem = _model_named_item("shop.models", "shop_item")
_BlogItem = _model_named_item("blog.models", "blog_item")


def test_models_with_the_same_class_name_are_kept_apart(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    import sqlalchemy as sa

    registry = Registry([_ShopItem, _BlogItem])
    assert registry.of(_ShopItem).table == "shop_item"
    assert registry.of(_BlogItem).table == "blog_item"
    app = create_app(models=[_ShopItem, _BlogItem], database_url=f"sqlite:///{tmp_path / 'x.db'}")
    app.create_tables()
    asyncio.run(app.insert(_BlogItem, {"label": "post"}))
    with app.database.engine.connect() as connection:
        blog = connection.execute(sa.text("select label from blog_item")).scalars().all()
        shop = connection.execute(sa.text("select label from shop_item")).scalars().all()
    app.database.dispose()
    assert (blog, shop) == (["post"], [])


def _resource_model(table: str, resource: str | None) -> type:
    namespace: dict[str, object] = {
        "__module__": "people.models",
        "__tablename__": table,
        "id": Column(Integer, primary_key=True),
    }
    if resource is not None:
        namespace["__resource__"] = resource
    return type(pascal(table), (_Base,), namespace)


_Person = _resource_model("person", "people")
_Human = _resource_model("human", "people")
_Category = _resource_model("category", None)


def test_a_resource_is_the_plural_of_the_table_unless_the_model_names_it() -> None:
    registry = Registry([User, Twoot, _Person, _Category])
    assert [info.resource for info in (registry.of(User), registry.of(_Person))] == [
        "users",
        "people",
    ]
    assert registry.of(_Category).resource == "categories"
    assert registry.by_resource("people") is registry.of(_Person)
    assert registry.by_resource("persons") is None


def test_two_models_cannot_be_the_same_resource() -> None:
    with pytest.raises(ConfigurationError, match="both the resource 'people'"):
        Registry([_Person, _Human])


@pytest.mark.parametrize("name", ["", "a/b", "spaced out", 3])
def test_a_resource_name_must_fit_in_a_url(name: object) -> None:
    model = _resource_model(f"odd_{abs(hash(str(name)))}", name)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="resource name"):
        Registry([model])
