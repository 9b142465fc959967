"""The classroom app (issue 6): a Mesa SolaraViz app of the five-society model.

Imports the model; the model never imports this package. Start it with ``python -m sim viz``.
"""
