"""Importing a teacher's own reading: a saved web page, a PDF or a text file becomes an article.

`quizgen add` reads the file (readers.py, with one extractor per kind: page.py, pdf.py,
plain.py), normalises its text once (cleaning.py), names it (naming.py), and writes the
article, a copy of the original and its entry in sources.yaml together (add.py,
sources_file.py). `quizgen repin` re-pins an article a teacher corrected (repin.py).
"""
