"""each user's interface language

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 15:00:00

``app_user.language``: the language the user chose for the interface (``vi`` or ``en``,
``webapp.i18n.LANGUAGES``); NULL means not chosen, and the request's cookie or the browser's
``Accept-Language`` decides (``webapp.i18n.select_locale``).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0010'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # A plain ADD COLUMN: batch mode would rebuild app_user, which nothing here needs.
    op.add_column('app_user', sa.Column('language', sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('app_user') as batch:
        batch.drop_column('language')
