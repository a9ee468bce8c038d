"""The signup bench (bench/signup.py): a signup's answer time by the address's state."""
