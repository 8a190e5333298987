"""STAND-IN for pyrite/plugins/__init__.py: the process-wide registry."""

from .registry import PluginRegistry, get_registry  # noqa: F401
from .context import PluginContext  # noqa: F401
