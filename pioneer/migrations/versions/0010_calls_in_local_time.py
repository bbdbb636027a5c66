"""Calls in people's own time: the zone a call was entered in, RSVP, reminders, attendance per occurrence

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 21:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=True))
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rsvp', sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column('rsvp_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('reminded_for', sa.DateTime(), nullable=True))
    op.create_table('call_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('occurrence', sa.DateTime(), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'],
                            name=op.f('fk_call_attendance_invitation_id_invitations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_attendance')),
    sa.UniqueConstraint('invitation_id', 'occurrence', name='uq_call_attendance_occurrence')
    )


def downgrade():
    op.drop_table('call_attendance')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_column('reminded_for')
        batch_op.drop_column('rsvp_at')
        batch_op.drop_column('rsvp')
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_column('time_zone')
