"""STAND-IN for pyrite/services/schema_service.py (SchemaService, L9-125 at bbf3b31).

add_type / remove_type / set_schema edit the KB's kb.yaml types and answer a dict; a type that
already exists (or does not) is answered with {"error": ...} and nothing written, as in Pyrite.
The stand-in writes kb.yaml as JSON (which is YAML too).
"""

import json


class SchemaService:
    def __init__(self, config):
        self.config = config

    def _get_kb(self, kb_name):
        kb = self.config.get_kb(kb_name)
        if not kb:
            raise ValueError(f"KB '{kb_name}' not found")
        return kb

    @staticmethod
    def _load(kb):
        return json.loads(kb.kb_yaml_path.read_text()) if kb.kb_yaml_path.exists() else {}

    @staticmethod
    def _save(kb, data):
        kb.kb_yaml_path.parent.mkdir(parents=True, exist_ok=True)
        kb.kb_yaml_path.write_text(json.dumps(data, indent=1))

    def add_type(self, kb_name, type_name, type_def):
        kb = self._get_kb(kb_name)
        data = self._load(kb)
        types = data.get("types", {})
        if type_name in types:
            return {"error": f"Type '{type_name}' already exists in KB '{kb_name}'"}
        types[type_name] = type_def
        data["types"] = types
        self._save(kb, data)
        return {"added": True, "type_name": type_name, "kb_name": kb_name}

    def remove_type(self, kb_name, type_name):
        kb = self._get_kb(kb_name)
        data = self._load(kb)
        types = data.get("types", {})
        if type_name not in types:
            return {"error": f"Type '{type_name}' not found in KB '{kb_name}'"}
        del types[type_name]
        data["types"] = types
        self._save(kb, data)
        return {"removed": True, "type_name": type_name, "kb_name": kb_name}

    def set_schema(self, kb_name, schema):
        kb = self._get_kb(kb_name)
        data = self._load(kb)
        for key in ("types", "policies", "validation"):
            if key in schema:
                data[key] = schema[key]
        self._save(kb, data)
        return {"set": True, "kb_name": kb_name, "type_count": len(data.get("types", {}))}
