"""The printable quizzes: one HTML page per deck and version (and optionally a PDF)."""
