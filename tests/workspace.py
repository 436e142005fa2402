"""Helpers for the staff-workspace tests: turning a rendered form back into POST data."""

import datetime as dt

from django.urls import reverse

VALID_USCC = "91510100MA61R2XK4X"
WRONG_CHECK_USCC = "91510100MA61R2XK4Q"


def english(client):
    """Ask for English pages, so that assertions on messages don't depend on the zh catalogue."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def form_data(response, *names):
    """The POST data a browser would send for the forms (and formsets) in the page's context,
    as they are rendered: what the user would submit without touching anything."""
    data = {}
    for name in names or ("form", "runs", "financing"):
        holder = response.context[name]
        forms = (
            [holder]
            if not hasattr(holder, "management_form")
            else [
                holder.management_form,
                *holder.forms,
            ]
        )
        for form in forms:
            for bound in form:
                value = bound.value()
                if isinstance(value, bool):
                    if value:
                        data[bound.html_name] = "on"
                elif value is not None:
                    data[bound.html_name] = (
                        value.isoformat() if isinstance(value, dt.date) else str(value)
                    )
    return data


def edit_page_data(client, project, response=None):
    """What the edit form of ``project`` submits untouched (read from ``response`` if given)."""
    if response is None:
        response = client.get(reverse("projects:project_update", args=[project.pk]))
    return form_data(response)


def add_run(data, stage, sequence, measured_on, tested, passed, prefix="runs"):
    """Fill the next empty yield-run row (or append one, as the "Add" button does)."""
    index = _next_free(data, prefix, "stage")
    data.update(
        {
            f"{prefix}-{index}-stage": stage,
            f"{prefix}-{index}-sequence": str(sequence),
            f"{prefix}-{index}-measured_on": measured_on,
            f"{prefix}-{index}-units_tested": str(tested),
            f"{prefix}-{index}-units_passed": str(passed),
            f"{prefix}-{index}-unit": "pcs",
        }
    )
    return data


def add_financing(data, amount, date="2024-06-01", prefix="financing"):
    index = _next_free(data, prefix, "date")
    data.update(
        {
            f"{prefix}-{index}-date": date,
            f"{prefix}-{index}-round": "a",
            f"{prefix}-{index}-instrument": "equity",
            f"{prefix}-{index}-investor_type": "vc_pe",
            f"{prefix}-{index}-investor": "成都科创投",
            f"{prefix}-{index}-amount": amount,
        }
    )
    return data


def _next_free(data, prefix, probe):
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    initial = int(data[f"{prefix}-INITIAL_FORMS"])
    for index in range(initial, total):
        if not data.get(f"{prefix}-{index}-{probe}"):
            return index
    data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
    return total


def new_project_data(client, platform, **fields):
    """A complete, valid create-form submission for ``platform`` (override any field)."""
    data = form_data(client.get(reverse("projects:project_create")))
    data.update(
        {
            "code": "ZS-2024-001",
            "platform": str(platform.pk),
            "title": "路内停车移动巡查设备",
            "product": "巡查设备",
            "track": "discrete",
            "stage": "PVT",
            "status": "in_progress",
            "start_on": "2024-01-01",
            "service_revenue": "1,234.56",
            "output_value": "0",
            "confidentiality": "public",
            "new_enterprise_name": "成都臻识科技发展有限公司",
            "new_enterprise_uscc": VALID_USCC,
        }
    )
    data.update(fields)
    return data


def populate(world, rows):
    """``rows`` projects on platform A (one client), the first with ``rows`` yield runs and
    ``rows`` financing rounds, ``rows`` more platforms in zone 1 and ``rows`` recognitions of
    platform A: every list and detail page then has ``rows`` rows to show."""
    from projects.models import Project
    from tests import factories

    enterprise = factories.EnterpriseFactory()
    projects = [
        factories.ProjectFactory(platform=world["platform_a"], enterprise=enterprise)
        for _ in range(rows)
    ]
    first = projects[0]
    for number in range(1, rows + 1):
        factories.YieldRunFactory(
            project=first, stage="DVT", sequence=number, units_tested=100, units_passed=number
        )
        factories.FinancingFactory(project=first)
        factories.PlatformFactory(zone=world["zone1"])
        factories.RecognitionFactory(platform=world["platform_a"])
    Project.objects.all().refresh_yield_summary()
    return {"project": first, "enterprise": enterprise}
