"""The web service: ``auditor serve`` (JSON API + the editor's review page).

``create_app`` and ``ServiceSettings`` are imported on first use, so that the CLI can read
the settings module without loading FastAPI and the NLP pipeline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditor.service.app import create_app
    from auditor.service.settings import ServiceSettings

__all__ = ["ServiceSettings", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from auditor.service.app import create_app

        return create_app
    if name == "ServiceSettings":
        from auditor.service.settings import ServiceSettings

        return ServiceSettings
    raise AttributeError(f"module 'auditor.service' has no attribute {name!r}")
