"""Batch import of villages, institutions, activities and cases from CSV, JSON, NDJSON and XLSX."""
