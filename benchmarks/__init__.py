"""Throughput benchmark of omega_gql against a hand-written floor (see README.md)."""
