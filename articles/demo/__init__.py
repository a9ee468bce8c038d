"""The demo magazine, The Meridian Review: its words as data (content/*.toml), its pictures
drawn (images.py), a made-up archive at scale (scale.py, bulk.py), and the load that writes
them (loading.py). Only the load_demo command imports this package; the product never does.

Everything here is invented for demonstration: the authors, photographers, picture agencies,
companies, books, analysts and quotations are fictional, and the articles describe plausible
but imaginary events."""
