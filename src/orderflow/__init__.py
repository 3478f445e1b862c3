"""OrderFlow: order-to-cash and make-to-order management.

Every step of an order has an owner, a deadline counted in working time, an escalation
when it is late, and a record.
"""

__version__ = "0.1.0"
