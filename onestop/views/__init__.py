"""HTML pages of the one-stop app, one module per area (queue, stats); urls.py routes them."""
