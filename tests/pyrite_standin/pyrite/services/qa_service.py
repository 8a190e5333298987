"""STAND-IN for pyrite/services/qa_service.py (QAService, L27-160 at bbf3b31).

validate_entry(entry_id, kb_name) and validate_kb(kb_name, check_staleness=False,
staleness_days=90) read the index and answer {..., "issues": [...]}, each issue
{entry_id, kb_name, rule, severity, field, message}; two of Pyrite's rules: missing_title
(error) and empty_body (warning); a missing entry is the issue entry_not_found (error).
assess_entry(entry_id, kb_name, tier=1, create_task_on_fail=False) (L206-275) validates the entry
and writes a qa_assessment entry through KBService (qa_status fail with error-level issues, warn
with others, else pass); get_status(kb_name=None) (L162-200) validates for a dashboard.
"""

import time


class QAService:
    def __init__(self, config, db, llm_service=None, kb_svc=None):
        self.config = config
        self.db = db
        self.kb_svc = kb_svc

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

    def assess_entry(self, entry_id, kb_name, tier=1, create_task_on_fail=False):
        issues = self.validate_entry(entry_id, kb_name)["issues"]
        severities = {issue["severity"] for issue in issues}
        status = "fail" if "error" in severities else "warn" if severities else "pass"
        assessment_id = f"qa-{entry_id}-{int(time.time() * 1000)}"
        self.kb_svc.create_entry(kb_name, assessment_id, f"QA: {entry_id}",
                                 entry_type="qa_assessment", target_entry=entry_id,
                                 qa_status=status, issues=issues)
        return {"assessment_id": assessment_id, "target_entry": entry_id, "kb_name": kb_name,
                "qa_status": status, "issues_found": len(issues), "issues": issues}

    def get_status(self, kb_name=None):
        issues = self.validate_kb(kb_name)["issues"]
        return {"total_issues": len(issues)}
