"""Mail outbox, notice preferences, verified emails, ways to reach a mentor, the mentor a claim counts against

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 21:40:00

Accounts that exist before this revision are counted as verified (at the time of the upgrade): they
already received the site's mail, and nobody could verify before. See docs/mail.md.
"""
import warnings

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

CONTACT_COLUMNS = (('contact_chat', 200), ('contact_forum', 500), ('public_email', 254), ('office_hours', 200),
                   ('office_hours_url', 500))


def upgrade():
    op.create_table('mail_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.Enum('claims', 'reviews', 'done', 'invitations', 'comments', name='noticekind',
                              native_enum=False, create_constraint=False, length=24), nullable=True),
    sa.Column('recipient_id', sa.Integer(), nullable=True),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('reply_to', sa.String(length=400), nullable=True),
    sa.Column('subject', sa.String(length=400), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('digest', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_mail_outbox_recipient_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_outbox'))
    )
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_mail_outbox_unsent', ['sent_at', 'digest', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_outbox_recipient_id'), ['recipient_id'], unique=False)

    op.create_table('notice_settings',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('claims', 'reviews', 'done', 'invitations', 'comments', name='noticekind',
                              native_enum=False, create_constraint=False, length=24), nullable=False),
    sa.Column('frequency', sa.Enum('at_once', 'daily', 'never', name='frequency', native_enum=False,
                                   create_constraint=False, length=24), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notice_settings_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_notice_settings'))
    )

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_verified_at', sa.DateTime(), nullable=True))
        for name, length in CONTACT_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), server_default='', nullable=False))
    op.execute("UPDATE users SET email_verified_at = CURRENT_TIMESTAMP WHERE email IS NOT NULL")
    # On SQLite the new foreign key means copying the claims table, and reading it reflects the tables
    # it points at: projects has expression indexes (0002), which SQLAlchemy says it skips. Nothing of
    # projects is changed here, so that warning says nothing about this step.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index")
        with op.batch_alter_table('claims', schema=None) as batch_op:
            batch_op.add_column(sa.Column('mentor_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(batch_op.f('fk_claims_mentor_id_users'), 'users', ['mentor_id'], ['id'],
                                        ondelete='SET NULL')


def downgrade():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index")
        with op.batch_alter_table('claims', schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f('fk_claims_mentor_id_users'), type_='foreignkey')
            batch_op.drop_column('mentor_id')
    with op.batch_alter_table('users', schema=None) as batch_op:
        for name, _length in reversed(CONTACT_COLUMNS):
            batch_op.drop_column(name)
        batch_op.drop_column('email_verified_at')
    op.drop_table('notice_settings')
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_outbox_recipient_id'))
        batch_op.drop_index('ix_mail_outbox_unsent')
    op.drop_table('mail_outbox')
