"""STAND-IN for pyrite/plugins/registry.py (PluginRegistry, L46-473 at bbf3b31).

discover(): entry points of group "pyrite.plugins", ep.load(), then plugin_class() with no
arguments; a `name` attribute is required; discovery runs once per process. run_hooks_for_kb():
hooks in discovery order, get_hooks() asked on every run, a non-None return replaces the entry, an
exception re-raised for before_* and logged for after_*; plugins declaring get_kb_types() only for
KBs of those types. get_all_cli_commands() (L216-218) and get_all_mcp_tools(tier) (L220-232)
gather from every plugin; a plugin that raises is logged and left out.
"""

import logging
from importlib.metadata import entry_points

logger = logging.getLogger("pyrite.plugins.registry")


class PluginRegistry:
    def __init__(self):
        self._plugins = {}
        self._discovered = False

    def discover(self, strict=False):
        if self._discovered:
            return
        self._discovered = True
        for ep in entry_points().select(group="pyrite.plugins"):
            try:
                plugin_class = ep.load()
                plugin = plugin_class()
                if not hasattr(plugin, "name"):
                    raise TypeError(f"plugin {ep.name} has no name")
                self._plugins[plugin.name] = plugin
            except Exception as error:
                if strict:
                    raise
                logger.warning("Failed to load plugin %s: %s", ep.name, error)

    def list_plugins(self):
        self.discover()
        return list(self._plugins)

    def get_plugin(self, name):
        self.discover()
        return self._plugins.get(name)

    def get_all_cli_commands(self):
        self.discover()
        result = []
        for plugin in self._plugins.values():
            if hasattr(plugin, "get_cli_commands"):
                try:
                    result.extend(plugin.get_cli_commands() or [])
                except Exception as error:
                    logger.warning("Plugin %s get_cli_commands failed: %s", plugin.name, error)
        return result

    def get_all_mcp_tools(self, tier):
        self.discover()
        tools = {}
        for plugin in self._plugins.values():
            if hasattr(plugin, "get_mcp_tools"):
                try:
                    tools.update(plugin.get_mcp_tools(tier) or {})
                except Exception as error:
                    logger.warning("Plugin %s get_mcp_tools failed: %s", plugin.name, error)
        return tools

    def _plugin_matches_kb_type(self, plugin, kb_type):
        if not kb_type or not hasattr(plugin, "get_kb_types"):
            return True
        try:
            types = plugin.get_kb_types()
        except Exception:
            return True
        return not types or kb_type in types

    def run_hooks_for_kb(self, hook_name, entry, context, kb_type=""):
        self.discover()
        for plugin in self._plugins.values():
            if not self._plugin_matches_kb_type(plugin, kb_type) or not hasattr(plugin, "get_hooks"):
                continue
            for hook in plugin.get_hooks().get(hook_name, []):
                try:
                    result = hook(entry, context)
                    if result is not None:
                        entry = result
                except Exception:
                    if hook_name.startswith("before_"):
                        raise
                    logger.warning("Hook %s failed for %s", hook_name, getattr(hook, "__name__", hook),
                                   exc_info=True)
        return entry


_registry = None


def get_registry():
    global _registry
    if _registry is None:
        _registry = PluginRegistry()
    return _registry
