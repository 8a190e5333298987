"""STAND-IN for Pyrite (github.com/markramm/pyrite, v0.24.0), for the tests only: CI has no Pyrite.

It mirrors the module paths and the signatures the plugin meets: pyrite/plugins/registry.py
(PluginRegistry.discover, run_hooks_for_kb), pyrite/plugins/context.py (PluginContext),
pyrite/models/base.py (Entry, to_frontmatter/from_frontmatter, load/save), pyrite/schema/provenance.py
(Link), pyrite/exceptions.py, pyrite/config.py (PyriteConfig, KBConfig, load_config), and what
the plugin wraps where Pyrite runs no hook: pyrite/services/kb_service.py (KBService.add_link,
sync_index), pyrite/storage/index.py (IndexManager.sync_incremental), pyrite/storage/database.py
and repository.py (the index and the files they read), pyrite/services/schema_service.py
(SchemaService.add_type, remove_type, set_schema) and pyrite/services/qa_service.py
(QAService.validate_entry, validate_kb). Each
stand-in keeps the behaviour of the real code that matters here and nothing else; the real thing
is tried by hand (docs/python.md, With real Pyrite).
"""

__version__ = "0.24.0-standin"
