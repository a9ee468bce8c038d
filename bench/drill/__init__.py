"""The fault drill (bench/fault_drill.py): the services the site needs, failed under load."""
