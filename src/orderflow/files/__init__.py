"""Files attached to documents: uploaded scans and approvals, generated PDFs."""
