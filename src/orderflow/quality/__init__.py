"""Quality (质量): incoming, in-process and final inspections with sampling, and the routing
of findings (J1–J4, I2)."""
