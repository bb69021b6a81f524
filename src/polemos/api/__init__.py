"""The HTTP API and web page of polemos (FastAPI), on top of the engine and the store.

    from polemos.api import create_app
    app = create_app(store_path=".polemos", scenarios_dir="scenarios")

Endpoints are documented in ``docs/api.md``; ``polemos serve`` runs the app with uvicorn.
"""

from polemos.api.app import create_app

__all__ = ["create_app"]
