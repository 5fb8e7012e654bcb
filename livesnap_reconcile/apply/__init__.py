"""Apply: executes a plan in dependency order with a bounded pool, committing state after every change."""
