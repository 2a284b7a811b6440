"""Start rasa-sdk's action server on 127.0.0.1, named here rather than left to SANIC_HOST.

``rasa run actions`` has no host option and binds whatever SANIC_HOST says (0.0.0.0 when it is
unset); this launcher builds rasa-sdk's own app and runs it on the loopback interface only.
Run as ``.venv-engine/bin/python -m components.action_server --port 5055``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from rasa_sdk import utils
from rasa_sdk.constants import DEFAULT_SERVER_PORT
from rasa_sdk.endpoint import create_app
from rasa_sdk.plugin import plugin_manager

HOST = "127.0.0.1"

log = logging.getLogger(__name__)


def parse_options(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """--port and --actions (the package the actions are in)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=DEFAULT_SERVER_PORT)
    parser.add_argument("--actions", default="actions")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the actions on 127.0.0.1 until stopped."""
    options = parse_options(argv)
    utils.configure_colored_logging(logging.INFO)
    utils.update_sanic_log_level()
    # No CORS origins: no web page may call the action server from a browser.
    app = create_app(options.actions, cors_origins="")
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    log.info("action server on http://%s:%s", HOST, options.port)
    app.run(host=HOST, port=options.port, workers=utils.number_of_sanic_workers())
    return 0


if __name__ == "__main__":
    sys.exit(main())
