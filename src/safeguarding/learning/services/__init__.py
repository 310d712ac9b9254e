"""Writes to the training programme, one module per area (`booking`, `sessions`, `waiting_list`,
`register`, `catalogue`, `events`, `evaluation`, `records`). Import from the modules."""
