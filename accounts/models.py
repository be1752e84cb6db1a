from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UserManager(DjangoUserManager):
    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person. They sign in with their email; what they may do depends on their roles per event."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    # The language the person last used the site in: emails are written in it, whoever sends them (core.i18n).
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE, blank=True
    )

    # What teammates see (accounts.selectors.profile_card decides who sees which part; services validate).
    skills = models.JSONField(_("skills"), default=list, blank=True)
    github_username = models.CharField(_("GitHub username"), max_length=39, blank=True)
    contact = models.CharField(_("how to reach me"), max_length=200, blank=True)
    show_email_to_team = models.BooleanField(_("show my email to my teammates"), default=False)
    # Relative to MEDIA_ROOT (a uuid-named folder): served only through permission-checked views.
    avatar = models.CharField(_("avatar"), max_length=255, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_github_username_valid",
                condition=Q(github_username="")
                | Q(github_username__regex=r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$"),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.email.split("@")[0]

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.display_name
