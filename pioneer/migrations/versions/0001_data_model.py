"""the whole data model of SPEC section 2

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 14:13:15.607158

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    
    op.create_table('areas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_areas')),
    sa.UniqueConstraint('name', name=op.f('uq_areas_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_areas_slug'))
    )
    op.create_table('rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_rounds_dates_in_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rounds')),
    sa.UniqueConstraint('slug', name=op.f('uq_rounds_slug'))
    )
    op.create_table('skills',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skills')),
    sa.UniqueConstraint('name', name=op.f('uq_skills_name'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('bio', sa.Text(), nullable=False),
    sa.Column('links', sa.JSON(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=True),
    sa.Column('capacity', sa.SmallInteger(), nullable=False),
    sa.Column('availability', sa.String(length=500), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('capacity >= 0', name=op.f('ck_users_capacity_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('duration_minutes', sa.SmallInteger(), nullable=False),
    sa.Column('join_url', sa.String(length=500), nullable=False),
    sa.Column('agenda_url', sa.String(length=500), nullable=False),
    sa.Column('repeat', sa.Enum('none', 'weekly', 'fortnightly', name='callrepeat', native_enum=False, length=24), nullable=False),
    sa.Column('repeat_until', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('duration_minutes > 0', name=op.f('ck_calls_positive_duration')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_calls_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calls'))
    )
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calls_starts_at'), ['starts_at'], unique=False)

    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('outcomes', sa.Text(), nullable=False),
    sa.Column('stars', sa.SmallInteger(), nullable=True),
    sa.Column('time_rating', sa.SmallInteger(), nullable=True),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'proposed', 'changes_requested', 'rejected', 'available', 'in_progress', 'done', 'archived', name='projectstatus', native_enum=False, length=24), nullable=False),
    sa.Column('needs_review', sa.Boolean(), nullable=False),
    sa.Column('allow_multiple_claims', sa.Boolean(), nullable=False),
    sa.Column('actual_hours', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('last_reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('stars IS NULL OR stars BETWEEN 1 AND 5', name=op.f('ck_projects_stars_range')),
    sa.CheckConstraint('time_rating IS NULL OR time_rating BETWEEN 1 AND 5', name=op.f('ck_projects_time_range')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_projects_area_id_areas'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_projects_proposed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects')),
    sa.UniqueConstraint('slug', name=op.f('uq_projects_slug'))
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.create_index('ix_projects_area_status', ['area_id', 'status'], unique=False)
        batch_op.create_index('ix_projects_status_approved_at', ['status', 'approved_at'], unique=False)
        batch_op.create_index('ix_projects_status_stars_time', ['status', 'stars', 'time_rating'], unique=False)
        batch_op.create_index('ix_projects_status_time', ['status', 'time_rating'], unique=False)
        batch_op.create_index('ix_projects_title', ['title'], unique=False)

    op.create_table('user_roles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('reviewer', 'coordinator', 'admin', name='role', native_enum=False, length=24), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_roles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'role', name=op.f('pk_user_roles'))
    )
    op.create_table('claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('end_reason', sa.Enum('released', 'expired', 'finished', name='claimend', native_enum=False, length=24), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_claims_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_claims_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claims'))
    )
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.create_index('ix_claims_project_ended', ['project_id', 'ended_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_claims_user_id'), ['user_id'], unique=False)

    op.create_table('interns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('status', sa.Enum('applicant', 'accepted', 'active', 'completed', 'withdrawn', name='internstatus', native_enum=False, length=24), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_interns_project_id_projects'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_interns_round_id_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_interns_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interns')),
    sa.UniqueConstraint('round_id', 'email', name='uq_interns_round_email')
    )
    with op.batch_alter_table('interns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interns_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interns_round_id'), ['round_id'], unique=False)

    op.create_table('project_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('repository', 'issue', 'reading', 'other', name='linkkind', native_enum=False, length=24), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_links_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_links'))
    )
    with op.batch_alter_table('project_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_links_project_id'), ['project_id'], unique=False)

    op.create_table('project_mentors',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_mentors_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_project_mentors_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'user_id', name=op.f('pk_project_mentors'))
    )
    with op.batch_alter_table('project_mentors', schema=None) as batch_op:
        batch_op.create_index('ix_project_mentors_user_id', ['user_id'], unique=False)

    op.create_table('project_skills',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Enum('none', 'concepts', 'some', 'comfortable', 'challenge', name='skilllevel', native_enum=False, length=24), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_skills_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['skills.id'], name=op.f('fk_project_skills_skill_id_skills'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'skill_id', name=op.f('pk_project_skills'))
    )
    with op.batch_alter_table('project_skills', schema=None) as batch_op:
        batch_op.create_index('ix_project_skills_skill_project', ['skill_id', 'project_id'], unique=False)

    op.create_table('review_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.Enum('import', 'submit', 'resubmit', 'approve', 'request_changes', 'reject', 'archive', 'restore', 'confirm', 'rate', 'flag', 'start', 'release', 'finish', name='reviewaction', native_enum=False, length=24), nullable=False),
    sa.Column('from_status', sa.Enum('draft', 'proposed', 'changes_requested', 'rejected', 'available', 'in_progress', 'done', 'archived', name='projectstatus', native_enum=False, length=24), nullable=True),
    sa.Column('to_status', sa.Enum('draft', 'proposed', 'changes_requested', 'rejected', 'available', 'in_progress', 'done', 'archived', name='projectstatus', native_enum=False, length=24), nullable=True),
    sa.Column('from_stars', sa.SmallInteger(), nullable=True),
    sa.Column('to_stars', sa.SmallInteger(), nullable=True),
    sa.Column('from_time', sa.SmallInteger(), nullable=True),
    sa.Column('to_time', sa.SmallInteger(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_review_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_review_events_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_events'))
    )
    with op.batch_alter_table('review_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_events_project_id'), ['project_id'], unique=False)

    op.create_table('intern_mentors',
    sa.Column('intern_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['intern_id'], ['interns.id'], name=op.f('fk_intern_mentors_intern_id_interns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_intern_mentors_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('intern_id', 'user_id', name=op.f('pk_intern_mentors'))
    )
    with op.batch_alter_table('intern_mentors', schema=None) as batch_op:
        batch_op.create_index('ix_intern_mentors_user_id', ['user_id'], unique=False)

    op.create_table('intern_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intern_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_intern_notes_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['intern_id'], ['interns.id'], name=op.f('fk_intern_notes_intern_id_interns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intern_notes'))
    )
    with op.batch_alter_table('intern_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intern_notes_intern_id'), ['intern_id'], unique=False)

    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('intern_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('invited_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_invitations_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['intern_id'], ['interns.id'], name=op.f('fk_invitations_intern_id_interns'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_invitations_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('call_id', 'email', name='uq_invitations_call_email')
    )
    


def downgrade():
    
    op.drop_table('invitations')
    with op.batch_alter_table('intern_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intern_notes_intern_id'))

    op.drop_table('intern_notes')
    with op.batch_alter_table('intern_mentors', schema=None) as batch_op:
        batch_op.drop_index('ix_intern_mentors_user_id')

    op.drop_table('intern_mentors')
    with op.batch_alter_table('review_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_events_project_id'))

    op.drop_table('review_events')
    with op.batch_alter_table('project_skills', schema=None) as batch_op:
        batch_op.drop_index('ix_project_skills_skill_project')

    op.drop_table('project_skills')
    with op.batch_alter_table('project_mentors', schema=None) as batch_op:
        batch_op.drop_index('ix_project_mentors_user_id')

    op.drop_table('project_mentors')
    with op.batch_alter_table('project_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_links_project_id'))

    op.drop_table('project_links')
    with op.batch_alter_table('interns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interns_round_id'))
        batch_op.drop_index(batch_op.f('ix_interns_project_id'))

    op.drop_table('interns')
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claims_user_id'))
        batch_op.drop_index('ix_claims_project_ended')

    op.drop_table('claims')
    op.drop_table('user_roles')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index('ix_projects_title')
        batch_op.drop_index('ix_projects_status_time')
        batch_op.drop_index('ix_projects_status_stars_time')
        batch_op.drop_index('ix_projects_status_approved_at')
        batch_op.drop_index('ix_projects_area_status')

    op.drop_table('projects')
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calls_starts_at'))

    op.drop_table('calls')
    op.drop_table('users')
    op.drop_table('skills')
    op.drop_table('rounds')
    op.drop_table('areas')
    
