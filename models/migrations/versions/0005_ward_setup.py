"""ward set-up: super-admins, the ward's own plan, model-street history, campaigns by area

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 21:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def _timestamps():
    return (
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('ward_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'),
                  nullable=False),
        sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'),
                  nullable=False),
    )


def _owned(table: str, *columns, user_column: str = 'user_id', extra_fks=()):
    op.create_table(
        table, *columns, *_timestamps(),
        sa.Column(user_column, sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint([user_column], ['app_user.id'],
                                name=op.f(f'fk_{table}_{user_column}_app_user')),
        sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f(f'fk_{table}_ward_id_ward'),
                                ondelete='CASCADE'),
        *extra_fks,
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
    )
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{table}_ward_id'), ['ward_id'], unique=False)


def upgrade() -> None:
    """Upgrade schema."""
    on_postgres = op.get_bind().dialect.name == "postgresql"

    # Super-admins and installation-wide audit rows have no ward. app_user and audit_log
    # hold no geometry, so SQLite may rebuild them (models.migrate turns foreign keys off
    # around the migration, as SQLite's ALTER TABLE procedure requires).
    for table in ('app_user', 'audit_log'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('ward_id', existing_type=sa.Integer(), nullable=True)

    for table, user_column, extra in (
        ('plan_version', 'created_by', (sa.Column('version', sa.String(64), nullable=False),
                                        sa.Column('body', JSON, nullable=False))),
        ('target_value', 'entered_by', (sa.Column('month', sa.String(7), nullable=False),
                                        sa.Column('target_code', sa.String(64), nullable=False),
                                        sa.Column('value', sa.Float(), nullable=False),
                                        sa.Column('note', sa.Text(), nullable=True))),
    ):
        _owned(table, *extra, user_column=user_column)
    with op.batch_alter_table('plan_version', schema=None) as batch_op:
        batch_op.create_unique_constraint(op.f('uq_plan_version_ward_id'), ['ward_id', 'version'])
    with op.batch_alter_table('target_value', schema=None) as batch_op:
        batch_op.create_unique_constraint(op.f('uq_target_value_ward_id'),
                                          ['ward_id', 'month', 'target_code'])

    _owned('model_street_event',
           sa.Column('model_street_id', sa.Integer(), nullable=False),
           sa.Column('action', sa.String(32), nullable=False),
           sa.Column('from_status', sa.String(16), nullable=True),
           sa.Column('to_status', sa.String(16), nullable=True),
           sa.Column('on_date', sa.Date(), nullable=True),
           sa.Column('changes', JSON, nullable=False),
           sa.Column('note', sa.Text(), nullable=True),
           extra_fks=(sa.ForeignKeyConstraint(
               ['model_street_id'], ['model_street.id'], ondelete='CASCADE',
               name=op.f('fk_model_street_event_model_street_id_model_street')),))
    _owned('model_street_check',
           sa.Column('model_street_id', sa.Integer(), nullable=False),
           sa.Column('month', sa.String(7), nullable=False),
           sa.Column('checked_on', sa.Date(), nullable=False),
           sa.Column('results', JSON, nullable=False),
           sa.Column('note', sa.Text(), nullable=True),
           extra_fks=(sa.ForeignKeyConstraint(
               ['model_street_id'], ['model_street.id'], ondelete='CASCADE',
               name=op.f('fk_model_street_check_model_street_id_model_street')),))
    for table in ('model_street_event', 'model_street_check'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f'ix_{table}_model_street_id'), ['model_street_id'],
                                  unique=False)

    # Plain ADD COLUMN on the spatial tables: rebuilding them on SpatiaLite would drop their
    # geometry registration; links are foreign keys on PostgreSQL only (as in 0002).
    def link(target: str, ondelete: str | None = None):
        if not on_postgres:
            return ()
        return (sa.ForeignKey(f'{target}.id', ondelete=ondelete),)

    op.add_column('street', sa.Column('named', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
    op.add_column('street', sa.Column('source_ref', sa.String(200), nullable=True))
    op.add_column('model_street', sa.Column('started_on', sa.Date(), nullable=True))
    op.add_column('model_street', sa.Column('sponsors', sa.Text(), nullable=True))
    op.add_column('model_street', sa.Column('street_id', sa.Integer(),
                                            *link('street', 'SET NULL'), nullable=True))
    op.add_column('campaign', sa.Column('note', sa.Text(), nullable=True))
    op.add_column('campaign', sa.Column('neighbourhood_ids', JSON, nullable=False,
                                        server_default='[]'))
    op.add_column('campaign', sa.Column('created_by', sa.Integer(), *link('app_user'),
                                        nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    for table, columns in (
        ('campaign', ('created_by', 'neighbourhood_ids', 'note')),
        ('model_street', ('street_id', 'sponsors', 'started_on')),
        ('street', ('source_ref', 'named')),
    ):
        for column in columns:
            op.drop_column(table, column)
    for table in ('model_street_check', 'model_street_event', 'target_value', 'plan_version'):
        op.drop_table(table)
    op.execute("DELETE FROM audit_log WHERE ward_id IS NULL")
    op.execute("DELETE FROM app_user WHERE ward_id IS NULL")
    for table in ('audit_log', 'app_user'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('ward_id', existing_type=sa.Integer(), nullable=False)
