"""The strategy views, one module per aggregate (see strategy/urls.py)."""
