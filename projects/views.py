"""Project and enterprise pages, scoped to what the signed-in user may see.

The object pages are configured over ``tracker.generic``'s object views, which apply the
access rules once: another platform's project does not exist (404); a project the user may
read but not edit (a zone manager's view) answers 403.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from platforms import access
from platforms.models import Platform
from projects.charts import yield_chart
from projects.codes import suggest_code
from projects.filters import EnterpriseFilterSet, ProjectFilterSet
from projects.forms import EnterpriseForm, FinancingFormSet, ProjectForm, YieldRunFormSet
from projects.history import enterprise_history, last_change, project_history
from projects.models import Enterprise, Project
from projects.tables import EnterpriseTable, ProjectTable
from tracker.generic import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from tracker.locking import BUSY_MESSAGE, RETRY_AFTER_SECONDS, is_database_locked
from tracker.validators import searchable_code

# Suggestions the enterprise box lists at most: enough to pick from, a bounded query.
ENTERPRISE_SUGGESTIONS = 10


def safe_next(request, fallback: str) -> str:
    """The ``next`` address (the list with its filters) if it points back at this site."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


class StaleEdit(Exception):
    """Somebody saved the project after this user opened the form."""


class ProjectListView(ObjectListView):
    queryset = Project.objects.select_related("platform", "enterprise")
    filterset_class = ProjectFilterSet
    table_class = ProjectTable
    template_name = "projects/project_list.html"
    export_stem = "projects"
    export_url_name = "projects:project_export"

    def get_queryset(self):
        """Visible projects, each marked for whether this user may read its hidden text."""
        return super().get_queryset().with_masking(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = Platform.objects.editable_by(self.request.user).exists()
        return context


class ProjectDetailView(ObjectDetailView):
    """The project, its yield journey (table and chart), financing and change history."""

    queryset = Project.objects.select_related("platform__zone", "enterprise")

    def get_queryset(self):
        return super().get_queryset().with_masking(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.object
        runs = list(project.yield_runs.all())
        financings = list(project.financings.all())
        context.update(
            runs=runs,
            chart=yield_chart(runs),
            financings=financings,
            financing_total=sum((item.amount for item in financings), start=0),
            history=project_history(project, self.request.user),
            next_url=safe_next(self.request, reverse("projects:project_list")),
        )
        return context


class EditorRequiredMixin:
    """Creating a record: signed in (checked first by LoginRequiredMixin) and allowed to write
    at all (``access.may_write_anything``: staff of a platform, or an administrator)."""

    def dispatch(self, request, *args, **kwargs):
        if not access.may_write_anything(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ProjectFormMixin:
    """The project form with its yield-run and financing formsets, saved in one transaction.

    ``self.object`` is the project being edited, or None for a new one.
    """

    template_name = "projects/project_form.html"
    object = None

    def get_initial(self):
        return {}

    def build_forms(self, data=None):
        project = self.object or Project()
        form = ProjectForm(
            data, instance=project, user=self.request.user, initial=self.get_initial()
        )
        return (
            form,
            YieldRunFormSet(data, instance=project, prefix="runs"),
            FinancingFormSet(data, instance=project, prefix="financing"),
        )

    def get(self, request, *args, **kwargs):
        return self.render_forms(*self.build_forms())

    def post(self, request, *args, **kwargs):
        form, runs, financing = self.build_forms(request.POST)
        # The project form first: the runs are checked against its (new) start date and track.
        form_ok = form.is_valid()
        if not (runs.is_valid() and financing.is_valid() and form_ok):
            return self.render_forms(form, runs, financing, status=400)
        try:
            with transaction.atomic():
                project = self.save(form, runs, financing)
        except StaleEdit:
            who, when = last_change(form.instance)
            form.add_error(None, self.stale_message(who, when))
            return self.render_forms(form, runs, financing, status=409)
        except IntegrityError:
            form.add_error(
                None,
                _("The data conflicts with a record saved meanwhile; nothing was saved."),
            )
            return self.render_forms(form, runs, financing, status=409)
        except OperationalError as error:
            if not is_database_locked(error):
                raise
            return self.render_busy(form, runs, financing)
        messages.success(self.request, _("Project %(code)s was saved.") % {"code": project.code})
        return HttpResponseRedirect(safe_next(self.request, project.get_absolute_url()))

    def save(self, form, runs, financing):
        project = form.instance
        if form.new_enterprise is not None:
            form.new_enterprise.save()
            project.enterprise = form.new_enterprise
        self.claim_version(form)
        project = form.save()
        runs.instance = financing.instance = project
        runs.save()
        financing.save()
        return project

    def claim_version(self, form):
        """New projects have nothing to claim (see ProjectUpdateView)."""

    @staticmethod
    def stale_message(who, when):
        return _(
            "%(user)s changed this project on %(when)s, after you opened this form. Your "
            "changes were NOT saved and are still below; open the project in a new tab to see "
            "the current version, then save again."
        ) % {
            "user": who or _("someone"),
            "when": date_format(localtime(when), "DATETIME_FORMAT") if when else "?",
        }

    def render_busy(self, form, runs, financing):
        """SQLite's write lock is held (an import is writing): nothing was saved; say so and
        show the form again with everything as typed, yield runs and financing included."""
        form.add_error(None, BUSY_MESSAGE)
        form.add_error(None, _("Nothing was saved; what you entered is still below."))
        response = self.render_forms(form, runs, financing, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    def render_forms(self, form, runs, financing, status=200):
        context = self.get_context_data(
            form=form,
            runs=runs,
            financing=financing,
            project=self.object,
            next_url=safe_next(self.request, ""),
            enterprise_fields=("enterprise_ref", "new_enterprise_name", "new_enterprise_uscc"),
        )
        return self.render_to_response(context, status=status)


class ProjectCreateView(LoginRequiredMixin, EditorRequiredMixin, ProjectFormMixin, TemplateView):
    def get_initial(self):
        """``?platform=<pk>`` preselects a platform (ignored unless it is one of the user's), as
        does being staff of one platform only; the code offered is that platform's next one."""
        platform = self.initial_platform()
        if platform is None:
            return {"platform": self.request.GET.get("platform")}
        return {"platform": platform.pk, "code": suggest_code(platform)}

    def initial_platform(self):
        own = Platform.objects.editable_by(self.request.user)
        wanted = self.request.GET.get("platform", "")
        if wanted.isdigit():
            return own.filter(pk=wanted).first()
        only = list(own[:2])
        return only[0] if len(only) == 1 else None


class ProjectCodeSuggestView(LoginRequiredMixin, EditorRequiredMixin, View):
    """``?platform=<pk>`` → ``{"code": "FN-2025-0024"}``: the platform's next code, for the new
    project form when its platform is changed. Another platform does not exist here (404)."""

    def get(self, request):
        wanted = request.GET.get("platform", "")
        platform = None
        if wanted.isdigit():
            platform = Platform.objects.editable_by(request.user).filter(pk=wanted).first()
        if platform is None:
            raise Http404
        return JsonResponse({"code": suggest_code(platform)})


class ProjectUpdateView(ProjectFormMixin, ObjectEditView):
    queryset = Project.objects.select_related("enterprise")

    def claim_version(self, form):
        """Optimistic locking: move the version on only if it is still the one the user read.

        The conditional UPDATE is atomic in the database, so of two concurrent saves exactly one
        matches; the other raises StaleEdit and its transaction writes nothing.
        """
        read_version = form.cleaned_data.get("version")
        claimed = Project.objects.filter(pk=form.instance.pk, version=read_version).update(
            version=F("version") + 1
        )
        if not claimed:
            raise StaleEdit
        form.instance.version = read_version + 1


class ProjectDeleteView(ObjectDeleteView):
    """Confirmation, then deletion; a project with financing rounds cannot be deleted."""

    queryset = Project.objects.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            financing_count=self.object.financings.count(),
            next_url=safe_next(self.request, reverse("projects:project_list")),
        )
        return context

    def get_success_url(self):
        return safe_next(self.request, reverse("projects:project_list"))

    def deleted_message(self, obj):
        return _("Project %(code)s was deleted.") % {"code": obj.code}

    def protected_message(self, obj):
        return _(
            "Project %(code)s cannot be deleted: it has financing rounds on record. Remove "
            "them first if they were entered by mistake."
        ) % {"code": obj.code}


class EnterpriseListView(ObjectListView):
    queryset = Enterprise.objects.all()
    filterset_class = EnterpriseFilterSet
    table_class = EnterpriseTable
    template_name = "projects/enterprise_list.html"
    export_stem = "enterprises"
    export_url_name = "projects:enterprise_export"

    def get_queryset(self):
        """Each enterprise with the number of its projects *this user* may see."""
        visible = Project.objects.visible_to(self.request.user).filter(enterprise=OuterRef("pk"))
        return (
            super()
            .get_queryset()
            .annotate(
                project_count=Subquery(
                    visible.order_by().values("enterprise").annotate(n=Count("pk")).values("n")[:1]
                )
            )
        )


class EnterpriseSuggestView(LoginRequiredMixin, EditorRequiredMixin, View):
    """``?q=臻识`` → the enterprises whose name or USCC contains it, among those the user may
    pick as a client (``access.enterprises_linkable_by``: their platforms' clients; never
    anyone else's), at most ``ENTERPRISE_SUGGESTIONS``, by name. One query, whatever matches.

    Each result has the ``value`` the enterprise box takes ("<name> <USCC>", as the project
    form reads it); tracker.js lists them under the box.
    """

    def get(self, request):
        typed = request.GET.get("q", "").strip()[:100]
        if not typed:
            return JsonResponse({"results": []})
        matches = (
            Enterprise.objects.linkable_by(request.user)
            .filter(Q(name__icontains=typed) | Q(uscc__contains=searchable_code(typed)))
            .order_by("name", "uscc")
            .values("name", "uscc")[:ENTERPRISE_SUGGESTIONS]
        )
        results = [{**row, "value": f"{row['name']} {row['uscc']}"} for row in matches]
        return JsonResponse({"results": results})


class EnterpriseUpdateView(ObjectEditView):
    """An enterprise, edited by the staff of the platforms that alone serve it (another's: 404,
    a zone manager or a shared client: 403, as ``access.enterprises_changeable_by`` says, via
    the queryset's ``editable_by``). Its history records who changed what."""

    queryset = Enterprise.objects.all()
    form_class = EnterpriseForm
    template_name = "projects/enterprise_form.html"
    success_message = gettext_lazy("%(object)s was saved.")


class EnterpriseDetailView(ObjectDetailView):
    """A client enterprise and every project of it the user may see."""

    queryset = Enterprise.objects.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        projects = Project.objects.visible_to(self.request.user).filter(enterprise=self.object)
        context["projects"] = projects.with_masking(self.request.user).select_related("platform")
        context["totals"] = projects.aggregate(
            service_revenue=Sum("service_revenue"), output_value=Sum("output_value")
        )
        context["history"] = enterprise_history(self.object)
        return context
