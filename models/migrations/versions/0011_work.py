"""the plan as work: units and their members, "6 rõ" tasks, progress with evidence, unit reports

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-02 14:00:00

``work_unit`` (a ward's units: UBND, Công an, khu phố…) and ``work_unit_member`` (users of a
unit); ``work_task`` (a task by the six "rõ"), ``work_progress`` (its updates) and
``work_evidence`` (files attached to an update); ``work_unit_report`` (a unit's monthly
Bảng 3). New tables only: nothing existing changes.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = '0011'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ('work_evidence', 'work_progress', 'work_unit_report', 'work_unit_member', 'work_task',
          'work_unit')


def upgrade() -> None:
    op.create_table('work_unit',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('aliases', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('neighbourhood_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhood.id'], name=op.f('fk_work_unit_neighbourhood_id_neighbourhood'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_work_unit_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_unit')),
    sa.UniqueConstraint('ward_id', 'name', name=op.f('uq_work_unit_ward_id'))
    )
    op.create_index(op.f('ix_work_unit_neighbourhood_id'), 'work_unit', ['neighbourhood_id'], unique=False)
    op.create_index(op.f('ix_work_unit_ward_id'), 'work_unit', ['ward_id'], unique=False)
    op.create_table('work_task',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('product', sa.Text(), nullable=False),
    sa.Column('measure_unit', sa.String(length=64), nullable=True),
    sa.Column('ward_quantity', sa.Float(), nullable=True),
    sa.Column('target_quantity', sa.Float(), nullable=True),
    sa.Column('lead_unit_id', sa.Integer(), nullable=False),
    sa.Column('responsible_user_id', sa.Integer(), nullable=True),
    sa.Column('responsible_name', sa.String(length=200), nullable=True),
    sa.Column('co_unit_ids', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('approver_unit_id', sa.Integer(), nullable=True),
    sa.Column('approver_name', sa.String(length=200), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('phase', sa.String(length=200), nullable=True),
    sa.Column('milestones', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('target_code', sa.String(length=64), nullable=True),
    sa.Column('model_street_id', sa.Integer(), nullable=True),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('neighbourhood_id', sa.Integer(), nullable=True),
    sa.Column('result_value', sa.Float(), nullable=True),
    sa.Column('percent', sa.Float(), nullable=False),
    sa.Column('last_progress_at', sa.DateTime(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.ForeignKeyConstraint(['approver_unit_id'], ['work_unit.id'], name=op.f('fk_work_task_approver_unit_id_work_unit'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_work_task_campaign_id_campaign'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], name=op.f('fk_work_task_created_by_app_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lead_unit_id'], ['work_unit.id'], name=op.f('fk_work_task_lead_unit_id_work_unit')),
    sa.ForeignKeyConstraint(['model_street_id'], ['model_street.id'], name=op.f('fk_work_task_model_street_id_model_street'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhood.id'], name=op.f('fk_work_task_neighbourhood_id_neighbourhood'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['responsible_user_id'], ['app_user.id'], name=op.f('fk_work_task_responsible_user_id_app_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_work_task_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_task')),
    sa.UniqueConstraint('ward_id', 'code', name=op.f('uq_work_task_ward_id'))
    )
    op.create_index(op.f('ix_work_task_lead_unit_id'), 'work_task', ['lead_unit_id'], unique=False)
    op.create_index(op.f('ix_work_task_ward_id'), 'work_task', ['ward_id'], unique=False)
    op.create_table('work_unit_member',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['work_unit.id'], name=op.f('fk_work_unit_member_unit_id_work_unit'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_work_unit_member_user_id_app_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_work_unit_member_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_unit_member')),
    sa.UniqueConstraint('unit_id', 'user_id', name=op.f('uq_work_unit_member_unit_id'))
    )
    op.create_index(op.f('ix_work_unit_member_unit_id'), 'work_unit_member', ['unit_id'], unique=False)
    op.create_index(op.f('ix_work_unit_member_user_id'), 'work_unit_member', ['user_id'], unique=False)
    op.create_index(op.f('ix_work_unit_member_ward_id'), 'work_unit_member', ['ward_id'], unique=False)
    op.create_table('work_unit_report',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('rows', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('submitted_by', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.ForeignKeyConstraint(['submitted_by'], ['app_user.id'], name=op.f('fk_work_unit_report_submitted_by_app_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['work_unit.id'], name=op.f('fk_work_unit_report_unit_id_work_unit'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_work_unit_report_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_unit_report')),
    sa.UniqueConstraint('ward_id', 'unit_id', 'month', name=op.f('uq_work_unit_report_ward_id'))
    )
    op.create_index(op.f('ix_work_unit_report_unit_id'), 'work_unit_report', ['unit_id'], unique=False)
    op.create_index(op.f('ix_work_unit_report_ward_id'), 'work_unit_report', ['ward_id'], unique=False)
    op.create_table('work_progress',
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('percent', sa.Float(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('reported_at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['work_task.id'], name=op.f('fk_work_progress_task_id_work_task'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['work_unit.id'], name=op.f('fk_work_progress_unit_id_work_unit'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_work_progress_user_id_app_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_work_progress_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_progress'))
    )
    op.create_index(op.f('ix_work_progress_task_id'), 'work_progress', ['task_id'], unique=False)
    op.create_index(op.f('ix_work_progress_ward_id'), 'work_progress', ['ward_id'], unique=False)
    op.create_table('work_evidence',
    sa.Column('progress_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=False),
    sa.ForeignKeyConstraint(['progress_id'], ['work_progress.id'], name=op.f('fk_work_evidence_progress_id_work_progress'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_id'], ['work_task.id'], name=op.f('fk_work_evidence_task_id_work_task'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_work_evidence_user_id_app_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_work_evidence_ward_id_ward'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_evidence'))
    )
    op.create_index(op.f('ix_work_evidence_progress_id'), 'work_evidence', ['progress_id'], unique=False)
    op.create_index(op.f('ix_work_evidence_task_id'), 'work_evidence', ['task_id'], unique=False)
    op.create_index(op.f('ix_work_evidence_ward_id'), 'work_evidence', ['ward_id'], unique=False)


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
