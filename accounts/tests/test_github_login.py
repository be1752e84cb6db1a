"""README: setting GITHUB_CLIENT_ID turns on "Sign in with GitHub". The app must still start (requests is installed)."""

import subprocess
import sys

from django.conf import settings

from core.testing import worker_env


def test_app_starts_with_github_login_configured():
    env = worker_env(GITHUB_CLIENT_ID="test-client", GITHUB_CLIENT_SECRET="test-secret")
    code = (
        "import django; django.setup();"
        "from django.conf import settings; assert 'allauth.socialaccount.providers.github' in settings.INSTALLED_APPS;"
        "import allauth.socialaccount.providers.github.views, allauth.socialaccount.providers.oauth2.client;"
        "from django.core.management import call_command; call_command('check', fail_level='ERROR');"
        "from django.urls import reverse;"
        "print(reverse('github_login'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "/accounts/github/login/" in result.stdout
