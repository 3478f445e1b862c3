"""Change notices (合同订单更改通知单) and every version of an order (G1-G4)."""
