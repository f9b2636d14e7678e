"""quizgen: sourced quiz questions from news articles: Anki decks, quizzes, LMS exports."""

__version__ = "0.1.0"
