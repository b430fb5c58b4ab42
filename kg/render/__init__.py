"""Query results as text: tables, JSON, CSV (spreadsheet-safe) and Markdown."""
