"""Benchmarks and the fault drill: scripts run by hand, never imported by the site."""
