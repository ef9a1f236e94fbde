"""/api/v1/ endpoints of the one-stop app, one module per area (units, queue, stats); api_urls.py
routes them."""
