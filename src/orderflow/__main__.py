"""``python -m orderflow …`` runs the same commands as the ``orderflow`` script."""

from orderflow.cli import main

main()
