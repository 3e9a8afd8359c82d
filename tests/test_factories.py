"""Every model of the portal's apps has a factory in ``tests/factories.py``, and each factory makes
an object the model itself accepts."""

from __future__ import annotations

import inspect
from pathlib import Path

import factory
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from simple_history.models import HistoricalChanges

from tests import factories


def _project_models() -> set[type]:
    """The models of the apps in this repository (not Django's nor a library's), without the
    history tables simple_history makes for them."""
    return {
        model
        for config in apps.get_app_configs()
        if Path(config.path).parent == Path(settings.BASE_DIR)
        for model in config.get_models()
        if not issubclass(model, HistoricalChanges)
    }


FACTORIES = sorted(
    (
        value
        for value in vars(factories).values()
        if inspect.isclass(value)
        and issubclass(value, factory.django.DjangoModelFactory)
        and value._meta.model is not None
    ),
    key=lambda value: value.__name__,
)


def test_the_portals_models_are_found():
    names = {model._meta.label for model in _project_models()}
    assert {"accounts.User", "fund.Tier", "investments.Payment", "privacy.Erasure"} <= names
    assert not any(name.startswith(("auth.", "account.", "simple_history.")) for name in names)
    assert "investments.HistoricalPayment" not in names


def test_every_model_of_the_portals_apps_has_a_factory():
    made = {factory_class._meta.model for factory_class in FACTORIES}
    missing = sorted(model._meta.label for model in _project_models() - made)
    assert not missing, f"No factory in tests/factories.py for: {', '.join(missing)}"


def _left_empty(made: models.Model) -> list[str]:
    """Fields a factory may leave empty because the database takes them empty: who did something
    (``created_by`` and the like, filled in by the services) and JSON documents."""
    return [
        field.name
        for field in made._meta.concrete_fields
        if getattr(made, field.attname) in field.empty_values
        and (field.null or isinstance(field, models.JSONField))
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("factory_class", FACTORIES, ids=lambda factory_class: factory_class.__name__)
def test_each_factory_makes_a_valid_object(factory_class):
    made = factory_class()
    made.full_clean(exclude=_left_empty(made))
    assert type(made)._default_manager.filter(pk=made.pk).exists()
