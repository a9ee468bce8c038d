"""An article's saved versions: reading them (snapshots), comparing two (compare), bringing
one back (restore, and services.restore_revision), and the admin's pages for them (views)."""
