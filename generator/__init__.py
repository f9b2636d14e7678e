"""quizgen: sourced quiz questions from news articles, built into Anki decks and printable quizzes."""

__version__ = "0.1.0"
