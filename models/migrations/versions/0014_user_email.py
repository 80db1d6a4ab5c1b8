"""each user's e-mail address, for the early-warning digest

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 07:00:00

``app_user.email``: where ``urbanorder tasks warn`` sends a unit's flagged tasks when the
installation has SMTP settings (``webapp.services.mail``); NULL: the user gets no e-mail.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0014'
down_revision: Union[str, Sequence[str], None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # A plain ADD COLUMN: batch mode would rebuild app_user, which nothing here needs.
    op.add_column('app_user', sa.Column('email', sa.String(length=254), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('app_user') as batch:
        batch.drop_column('email')
