import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory

# Database-sensitive (the roles data migration): also run on PostgreSQL.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.mark.parametrize(
    ("role", "allowed", "refused"),
    [
        (
            "writer",
            ["myths.submit_release", "myths.add_release"],
            ["myths.publish_release", "myths.review_release"],
        ),
        ("reviewer", ["myths.review_release"], ["myths.publish_release", "myths.submit_release"]),
        (
            "publisher",
            ["myths.publish_release", "contacts.change_presscontact"],
            ["myths.review_release"],
        ),
    ],
)
def test_roles_migration_gives_each_group_its_permissions(role, allowed, refused):
    user = UserFactory(role=role)
    assert all(user.has_perm(p) for p in allowed)
    assert not any(user.has_perm(p) for p in refused)


def test_no_role_may_delete_a_release():
    for group in Group.objects.filter(name__in=["writer", "reviewer", "publisher"]):
        assert not group.permissions.filter(codename="delete_release").exists()
