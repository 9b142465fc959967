"""The classroom app: a Solara page of the five-society Mesa model (canvas map, SVG charts, side by side).

Imports the model; the model never imports this package. Start it with ``python -m sim viz``.
"""
