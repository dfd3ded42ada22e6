from __future__ import annotations

import omega_gql


def test_public_names_are_exported_sorted_and_importable() -> None:
    assert omega_gql.__all__ == sorted(omega_gql.__all__)
    for name in omega_gql.__all__:
        assert getattr(omega_gql, name) is not None, name
