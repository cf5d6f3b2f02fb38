"""Schema version of the database and exports.

History:
  1  documents, sections, tables, table_cells, citations (issue 2: ingest foundation)
"""
SCHEMA_VERSION = 1
