"""Read queries for app/: each returns frozen rows (queries/rows.py), never raw SQL rows."""
