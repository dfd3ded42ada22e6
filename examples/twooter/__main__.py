"""``python -m examples.twooter`` serves the example on http://127.0.0.1:8000."""

from omega_gql.cli import serve

serve("examples.twooter.app:app")
