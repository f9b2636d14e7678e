"""The command line: click only, a thin layer over the library API (generator.api).

main.py holds the group and the commands that check and build; readings.py brings in
articles (init, add, repin); editor.py starts the language server. options.py holds what
they share. No module outside this folder imports click.
"""

from .main import main, run

__all__ = ["main", "run"]
