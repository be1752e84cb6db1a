"""Reads for the utilization pages, the API, CSV and /metrics (filled in with the dashboard)."""
