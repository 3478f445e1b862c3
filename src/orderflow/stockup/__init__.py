"""Stock-up notices (备货通知单, B9)."""
