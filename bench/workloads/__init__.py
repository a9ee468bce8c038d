"""The newsroom workload bench (bench/workload.py): Zipf readers while an editor saves and
publishes, the page cache with tags against the global generation, side by side."""
