"""Start Utlåtandeassistenten: ``python app.py`` (what ``make run`` runs).

Prints the local address at once; on the first start the bundled knowledge is indexed in the
background with progress on the console and a banner in the app. Later starts skip unchanged
documents by content hash and are ready in seconds. Host, port, data directory and users file come
from settings (``ASSISTANT_*`` environment variables or ``assistant.toml``).
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def main() -> None:
    from assistant.settings import get_settings

    settings = get_settings()
    from assistant.datadir import make_private
    from assistant.services.drafting import redact_logs

    make_private(settings.data_dir)
    redact_logs()
    # Gradio's upload cache goes inside the data dir: nothing is written outside it.
    os.environ.setdefault("GRADIO_TEMP_DIR", str((settings.data_dir / "tmp").resolve()))

    from assistant.review.auth import UserStore
    from assistant.review.db import ReviewStore
    from assistant.services import Assistant
    from assistant.ui.app import build_app, launch
    from assistant.ui.startup import start_indexing

    users = UserStore(settings.resolved_users_file)
    if not users.configured and settings.app.host not in LOOPBACK:
        sys.exit(
            f"Refusing to serve on {settings.app.host} without users: anyone on the network would be admin. "
            f"Add users with 'assistant users add NAME --role ROLE' ({settings.resolved_users_file}) "
            "or keep ASSISTANT_HOST=127.0.0.1."
        )
    assistant = Assistant(settings)
    status = start_indexing(assistant)
    demo = build_app(assistant, users=users, review=ReviewStore(settings.db_path), status=status)
    if not users.configured:
        print(
            "Inga användare konfigurerade: appen körs som en lokal användare med administratörsrätt "
            "(lägg till användare med 'assistant users add NAMN --role ROLL').",
            file=sys.stderr,
        )
    print(f"Utlåtandeassistenten: http://{settings.app.host}:{settings.app.port}", flush=True)
    launch(demo, settings)


if __name__ == "__main__":
    main()
