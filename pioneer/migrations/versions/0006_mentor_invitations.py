"""Invitations to co-mentor a project, accepted before the invitee is listed

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 17:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mentor_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=40), nullable=False),
    sa.Column('invitee_id', sa.Integer(), nullable=True),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_mentor_invitations_invited_by_id_users'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['invitee_id'], ['users.id'], name=op.f('fk_mentor_invitations_invitee_id_users'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_mentor_invitations_project_id_projects'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_invitations')),
    sa.UniqueConstraint('project_id', 'username', name='uq_mentor_invitations_project_username')
    )
    with op.batch_alter_table('mentor_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_invitations_invitee_id'), ['invitee_id'], unique=False)


def downgrade():
    with op.batch_alter_table('mentor_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_invitations_invitee_id'))

    op.drop_table('mentor_invitations')
