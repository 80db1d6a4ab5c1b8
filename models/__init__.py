"""SQLAlchemy 2 + GeoAlchemy2 tables, engines and the one spatial query module."""
