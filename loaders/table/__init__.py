"""Spreadsheets (CSV, XLSX) into the graph, in the order a load goes: the mapping file (`spec`), the file read as it
says (`read`, workbooks checked first by `workbook_guard`), cells converted (`cells`), rows into planned nodes and
relationships (`rows`), references put in from the graph's look-ups (`references`), and the load that looks up and
writes in one transaction (`load`)."""
