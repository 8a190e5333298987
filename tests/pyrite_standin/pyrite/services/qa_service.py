"""STAND-IN for pyrite/services/qa_service.py (QAService, L27-160 at bbf3b31).

validate_entry(entry_id, kb_name) and validate_kb(kb_name, check_staleness=False,
staleness_days=90) read the index and answer {..., "issues": [...]}, each issue
{entry_id, kb_name, rule, severity, field, message}; two of Pyrite's rules: missing_title
(error) and empty_body (warning); a missing entry is the issue entry_not_found (error).
"""


class QAService:
    def __init__(self, config, db, llm_service=None, kb_svc=None):
        self.config = config
        self.db = db

    @staticmethod
    def _check(row, issues):
        def issue(rule, severity, field, message):
            issues.append({"entry_id": row["id"], "kb_name": row["kb_name"], "rule": rule,
                           "severity": severity, "field": field, "message": message})
        if not row.get("title"):
            issue("missing_title", "error", "title", f"Entry '{row['id']}' has no title")
        if not row.get("body"):
            issue("empty_body", "warning", "body",
                  f"Entry '{row['id']}' ({row['entry_type']}) has no body")

    def validate_entry(self, entry_id, kb_name):
        row = self.db.get_entry(entry_id, kb_name)
        if row is None:
            return {"entry_id": entry_id, "kb_name": kb_name, "issues": [
                {"entry_id": entry_id, "kb_name": kb_name, "rule": "entry_not_found",
                 "severity": "error", "field": "id",
                 "message": f"Entry '{entry_id}' not found in KB '{kb_name}'"}]}
        issues = []
        self._check(row, issues)
        return {"entry_id": entry_id, "kb_name": kb_name, "issues": issues}

    def validate_kb(self, kb_name, check_staleness=False, staleness_days=90):
        rows = self.db.list_kb_rows(kb_name)
        issues = []
        for row in rows:
            self._check(row, issues)
        return {"kb_name": kb_name, "total": len(rows), "checked": len(rows), "issues": issues}
