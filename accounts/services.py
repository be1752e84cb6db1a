from django.db import transaction
from rest_framework.authtoken.models import Token

from accounts.models import User


@transaction.atomic
def user_profile_update(*, user: User, name: str) -> User:
    user.name = name.strip()
    user.save(update_fields=["name"])
    return user


@transaction.atomic
def api_token_rotate(*, user: User) -> Token:
    """Replace the person's API token: the old one stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)
