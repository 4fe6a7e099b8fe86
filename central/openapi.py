"""Print the service's OpenAPI document: `python -m central.openapi > docs/openapi.json`.

The committed copy is what an integration team reads without running the
service; a test fails when it drifts from the code.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path


def document() -> dict[str, object]:
    from central.api import create_app
    from central.config import Settings

    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database_url=f"sqlite:///{Path(folder) / 'unused.db'}")
        app = create_app(settings)
        spec: dict[str, object] = app.openapi()
        app.state.fieldcase.engine.dispose()
        return spec


def main() -> int:
    sys.stdout.write(json.dumps(document(), indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
