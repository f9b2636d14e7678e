"""`quizgen lsp`: quizgen's check, completion, hover, go to definition and quick fixes in
the editor, over the Language Server Protocol (pygls). Only `quizgen lsp` imports this
package, so `quizgen check` never loads pygls.

project.py is the one module here that imports the rest of quizgen; the others work on
what it hands out.
"""
