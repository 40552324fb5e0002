"""Early warnings as records: rules (rules.py: the API apps use), the runner (engine.py),
who is told and how (delivery.py, digests.py), and the pages (views.py)."""
