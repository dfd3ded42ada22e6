"""``python -m examples.twooter [--host H] [--port P]`` serves the example on 127.0.0.1:8000."""

import sys

from omega_gql.cli import main

main(["run", "examples.twooter.app:app", *sys.argv[1:]])
