"""Order review (订单评审): classification, routing, sign-off, negotiation, meeting (C1-C7)."""
