"""Self-contained HTML reports of stored runs (figures embedded; works offline).

    from polemos.report import write_report
    path = write_report(Store(".polemos"), run_id)
"""

from polemos.report.html import write_report

__all__ = ["write_report"]
