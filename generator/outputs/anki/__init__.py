"""The Anki output: a reproducible .apkg of five note types, and its lock file."""
