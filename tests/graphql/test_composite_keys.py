"""Models whose primary key has several columns: by-pk fields take every key column."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from omega_gql import create_app
from omega_gql.testing import OmegaClient, serve
from tests.kinds import Membership


@pytest.fixture
def members(db_url: str) -> Iterator[OmegaClient]:
    with serve(create_app(models=[Membership], database_url=db_url)) as client:
        client.graphql(
            """mutation { insertMembership(objects: [
                {team: "red", member: "ann", role: "lead"},
                {team: "red", member: "bob", role: "dev"},
                {team: "blue", member: "ann", role: "dev"}]) { affectedRows } }"""
        )
        yield client


def test_by_pk_takes_every_key_column(members: OmegaClient) -> None:
    data = members.graphql(
        '{ a: membershipByPk(team: "red", member: "ann") { role } '
        'b: membershipByPk(team: "blue", member: "bob") { role } }'
    )
    assert data == {"a": {"role": "lead"}, "b": None}


def test_bulk_insert_returns_every_row(members: OmegaClient) -> None:
    data = members.graphql(
        """mutation { insertMembership(objects: [
            {team: "green", member: "cat", role: "dev"},
            {team: "green", member: "dan", role: "ops"}]) { affectedRows returning { member role } } }"""
    )
    assert data["insertMembership"]["affectedRows"] == 2
    assert sorted(r["member"] for r in data["insertMembership"]["returning"]) == ["cat", "dan"]


def test_update_and_delete_by_pk(members: OmegaClient) -> None:
    data = members.graphql(
        'mutation { updateMembershipByPk(pkColumns: {team: "red", member: "bob"}, _set: {role: "lead"}) '
        "{ team member role } }"
    )
    assert data == {"updateMembershipByPk": {"team": "red", "member": "bob", "role": "lead"}}
    data = members.graphql(
        'mutation { deleteMembershipByPk(team: "blue", member: "ann") { role } }'
    )
    assert data == {"deleteMembershipByPk": {"role": "dev"}}
    left = members.graphql("{ membership(orderBy: [{team: ASC}, {member: ASC}]) { team member } }")
    assert left == {
        "membership": [{"team": "red", "member": "ann"}, {"team": "red", "member": "bob"}]
    }
