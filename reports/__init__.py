"""Rendering what recon found for people and scripts: the discrepancy report and the export.

Its own package because it is neither extraction, matching, storage nor
orchestration: it turns read models into files (table, CSV, XLSX, HTML, JSON).
"""
