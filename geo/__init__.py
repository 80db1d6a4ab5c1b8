"""Pure spatial analysis on GeoDataFrames: no Flask, no SQLAlchemy."""
