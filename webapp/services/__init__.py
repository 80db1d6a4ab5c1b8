"""Use cases that span geo and models: one transaction per submission."""
