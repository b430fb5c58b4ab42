"""Spreadsheets (CSV, XLSX) into the graph: a YAML mapping says which columns make which nodes, properties and
relationships (`mapping`); workbooks are opened guarded (`workbook_guard`); rows are read, checked, linked to what
the graph holds and written (`load`)."""
