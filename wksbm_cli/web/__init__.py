"""`wksbm serve`: a read-only web view on Datasette, over a copy of the database without personal data."""
