"""quizgen: sourced quiz questions from news articles, as Anki decks and printable quizzes."""

__version__ = "0.1.0"
