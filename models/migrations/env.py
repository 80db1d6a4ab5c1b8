"""Alembic environment: runs on the connection handed over by ``models.migrate``."""

from alembic import context
from geoalchemy2 import alembic_helpers

from models.tables import Base

config = context.config


def include_object(obj, name, type_, reflected, compare_to):
    # SpatiaLite and PostGIS keep their own tables (SpatialIndex, spatial_ref_sys…):
    # they are not ours to drop.
    if type_ == "table" and reflected and compare_to is None:
        return False
    return alembic_helpers.include_object(obj, name, type_, reflected, compare_to)


connection = config.attributes["connection"]

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    include_object=include_object,
    process_revision_directives=alembic_helpers.writer,
    render_item=alembic_helpers.render_item,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)

with context.begin_transaction():
    context.run_migrations()
