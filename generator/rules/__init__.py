"""Checking the bank: the sourced rule, giveaways on paper, and ids that must not vanish."""
