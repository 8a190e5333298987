#!/usr/bin/env python3
"""Fill a Qt Linguist .ts file from a Python dict of source -> translation.

usage: fill-translations.py FILE.ts DICT.py
DICT.py defines DE = {source: translation}. Entries without a translation stay "unfinished" and
are listed, so a missing translation is visible (tests/tst_translations fails on any).
"""
import runpy
import sys
import xml.etree.ElementTree as ET


def main():
    ts_file, table_file = sys.argv[1], sys.argv[2]
    table = runpy.run_path(table_file)["DE"]
    tree = ET.parse(ts_file)
    missing = []
    for message in tree.getroot().iter("message"):
        source = message.find("source").text
        translation = message.find("translation")
        if source in table:
            translation.text = table[source]
            translation.attrib.pop("type", None)
        elif translation.get("type") == "unfinished":
            missing.append(source)
    tree.write(ts_file, encoding="utf-8", xml_declaration=True)
    for source in missing:
        print(f"untranslated: {source!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
