#!/usr/bin/env python3
"""Validate CloudEvents JSON lines against the per-type JSON Schemas in resources/schemas.

usage: validate_events.py SCHEMA_DIR EVENTS.jsonl
Prints one line per invalid event and a summary "N valid, M invalid"; exits 1 if any is invalid.
"""
import json
import pathlib
import sys

import jsonschema


def main():
    schema_dir = pathlib.Path(sys.argv[1])
    valid = invalid = 0
    validators = {}
    for number, line in enumerate(pathlib.Path(sys.argv[2]).read_text().splitlines(), 1):
        event = json.loads(line)
        event_type = event.get("type", "")
        schema_file = schema_dir / f"{event_type}.json"
        if not schema_file.exists():
            print(f"line {number}: no schema for type {event_type!r}")
            invalid += 1
            continue
        if event_type not in validators:
            schema = json.loads(schema_file.read_text())
            validators[event_type] = jsonschema.Draft202012Validator(
                schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        errors = sorted(validators[event_type].iter_errors(event), key=lambda e: list(e.path))
        if errors:
            invalid += 1
            for error in errors:
                where = "/".join(str(p) for p in error.path) or "(event)"
                print(f"line {number}: {event_type}: {where}: {error.message}")
        else:
            valid += 1
    print(f"{valid} valid, {invalid} invalid")
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main())
