"""``python -m katko``: the same command as ``katko``."""

from .cli import main

main()
