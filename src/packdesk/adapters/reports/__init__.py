"""Files of the numbers: the report (PDF drawn with reportlab, CSV, JSON) and the fact
tables (CSV, Parquet with the extra)."""

from packdesk.adapters.reports.facts import FactFiles, ParquetMissing
from packdesk.adapters.reports.files import ReportFiles

__all__ = ["FactFiles", "ParquetMissing", "ReportFiles"]
