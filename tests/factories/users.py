"""Users: the factory, the one test password, and the editorial roles' groups.

Roles are the groups the roles migration makes; a user joins one with `UserFactory(role=...)`.
"""

import importlib

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    is_staff = True

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """role="writer" | "reviewer" | "publisher": joins the group the roles migration made
        (recreated first when a transactional test's flush removed it)."""
        if create and extracted:
            if not Group.objects.filter(name=extracted).exists():
                ensure_roles()
            self.groups.add(Group.objects.get(name=extracted))


def ensure_roles():
    """Recreate the roles migration's groups, which a transactional test's flush removes
    (the flush's post_migrate recreates permissions, not groups)."""
    roles = importlib.import_module("myths.migrations.0002_roles").ROLES
    for name, codes in roles.items():
        group, _created = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
