import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from applications.models import Application, Review
from hackathon.tests.factories import EventFactory


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    track = "ai"
    experience = Application.Experience.JUNIOR
    skills = "Python, ONNX"
    portfolio_url = factory.LazyAttribute(lambda o: f"https://github.com/{o.user.email.split('@')[0]}")
    motivation = "I want to build on an NPU."
    sdk_training_completed = False
    privacy_consent_at = factory.LazyFunction(timezone.now)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    application = factory.SubFactory(ApplicationFactory)
    reviewer = factory.SubFactory(UserFactory)
    score = 3
