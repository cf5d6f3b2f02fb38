"""Schema version of the database and exports.

History:
  1  documents, sections, tables, table_cells, citations (issue 2: ingest foundation), then the
     extraction, unit, search and derived tables, all keyed by text ids ("<doc_id>:s12")
  2  integer row ids in each document's range of documents.doc_key (pipeline/row_ids.py): a
     database of schema 1 is refused with E013 rather than written with mixed keys
"""
SCHEMA_VERSION = 2
