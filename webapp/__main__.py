"""``python -m webapp``: the ``urbanorder`` command, where the script is not on PATH."""

from webapp.cli import main

main()
