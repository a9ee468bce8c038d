"""Redirects: old addresses that answer 301 with the new one (the model, the paths it
stores, serving them); following moves is the articles layer's (articles/moves.py)."""
