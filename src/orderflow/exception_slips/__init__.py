"""Exception slips (异常单, J3): one document type every area raises when something goes wrong."""
