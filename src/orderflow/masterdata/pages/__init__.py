"""The master-data pages, one module per kind of record."""
