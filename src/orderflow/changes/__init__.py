"""Change notices (合同订单更改通知单), every version of an order (G1-G3), and design error
notices (设计差错通知, G4)."""
