"""Procurement (采购): suppliers and their lead times, requisitions, purchase orders per sales
order, supplier follow-up, and receipts against the order (H1–H7, A4, I2)."""
