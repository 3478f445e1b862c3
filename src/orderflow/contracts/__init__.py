"""Contracts (签约) and stock-up notices (备货通知单): when an order becomes effective (D3, D4, B9)."""
