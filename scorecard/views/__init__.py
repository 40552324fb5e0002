"""The scorecard's views, one module per aggregate (see scorecard/urls.py)."""
