"""Quotes (报价): from a quote request to a priced, signed, sent quote with versions (D1)."""
