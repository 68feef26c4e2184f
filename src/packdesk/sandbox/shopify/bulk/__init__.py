"""Bulk query operations: validation (validate.py), the JSONL writer (writer.py), and the
operations with their files, webhook and faults (operations.py)."""
