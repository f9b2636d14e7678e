"""Helping a contributor write questions: find a passage, see what the bank covers."""
