"""Every write to the catalog: matters and their materials, and "一件事" bundles."""

from .bundles import create_bundle, update_bundle
from .matters import (
    create_matter,
    deactivate_matter,
    reactivate_matter,
    refresh_search_text,
    set_materials,
    update_matter,
)

__all__ = [
    "create_bundle",
    "create_matter",
    "deactivate_matter",
    "reactivate_matter",
    "refresh_search_text",
    "set_materials",
    "update_bundle",
    "update_matter",
]
