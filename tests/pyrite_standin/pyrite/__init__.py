"""STAND-IN for Pyrite (github.com/markramm/pyrite, v0.24.0), for the tests only: CI has no Pyrite.

It mirrors the module paths and the signatures the plugin meets: pyrite/plugins/registry.py
(PluginRegistry.discover, run_hooks_for_kb), pyrite/plugins/context.py (PluginContext),
pyrite/models/base.py (Entry, to_frontmatter/from_frontmatter), pyrite/schema/provenance.py
(Link), pyrite/exceptions.py and pyrite/config.py (PyriteConfig, KBConfig, load_config). Each
stand-in keeps the behaviour of the real code that matters here and nothing else; the real thing
is tried by hand (docs/python.md, With real Pyrite).
"""

__version__ = "0.24.0-standin"
