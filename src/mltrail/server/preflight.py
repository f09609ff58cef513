"""Open the tracking database once (create or migrate it) and report configuration errors.

``mltrail server --workers N`` runs this in a short-lived child process before starting the
workers, so the supervisor process never loads SQLAlchemy and stays small.
Exit status 0: ready; 1: the error message is on stderr.
"""

from __future__ import annotations

import sys


def main() -> int:
    from mltrail.exceptions import MlflowException
    from mltrail.server.app import create_app
    from mltrail.server.config import ServerConfig

    try:
        create_app(ServerConfig.from_env())
    except MlflowException as error:
        print(error.message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
