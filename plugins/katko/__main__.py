"""``python -m katko``: the same command as ``katko``."""

from katko.cli import main

main()
