"""Users: the factory, the one test password, and the editorial roles' groups.

Roles are the groups the roles migration makes; a user joins one with `UserFactory(role=...)`.
"""

import importlib
import pkgutil

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
    for name, codes in _migrated_roles().items():
        group, _created = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def _migrated_roles() -> dict[str, list[str]]:
    """Each role's permissions as the myths migrations grant them: every migration that defines
    ROLES (0002_roles, and later ones that add permissions), found by content, not by number."""
    import myths.migrations

    roles: dict[str, list[str]] = {}
    for info in sorted(pkgutil.iter_modules(myths.migrations.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"myths.migrations.{info.name}")
        for name, codes in getattr(module, "ROLES", {}).items():
            roles.setdefault(name, []).extend(codes)
    return roles
