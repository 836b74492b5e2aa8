"""The one request per seed tenant that the end-to-end scenarios (and the reliability workload)
submit, with the chain each must go through."""
import collections.abc
import datetime
import functools
import pathlib
import re
import zoneinfo

TENANTS = pathlib.Path(__file__).resolve().parents[2] / "deploy/tenants"


@functools.cache
def time_zone(tenant):
    """The `time_zone` of deploy/tenants/TENANT.yaml (read once per tenant)."""
    return zoneinfo.ZoneInfo(re.search(r"^time_zone:\s*(\S+)", (TENANTS / f"{tenant}.yaml").read_text(), re.M).group(1))


def local_today(tenant):
    """Today in the tenant's own time zone: the services judge start dates by it, so between
    midnight UTC and midnight there the machine's date is a day ahead."""
    return datetime.datetime.now(time_zone(tenant)).date()


def started(tenant, start_date):
    """True when an approved request starting on `start_date` is already active in the tenant."""
    return start_date <= str(local_today(tenant))


TENANT_IDS = ["ma-doc", "mines", "mit", "rutgers", "univ-f400"]


def earliest_today():
    """The earliest of the seed tenants' dates now, for dates that are not a scenario's start."""
    return min(local_today(tenant) for tenant in TENANT_IDS)


def employee(**extra):
    base = {"email": "pat.doe@example.edu", "name": "Pat Doe", "department": "physics", "employee_class": "administrative",
            "exempt": True, "months_employed": 30, "last_rating": "meets_expectations", "covered_by_collective_agreement": False}
    base.update(extra)
    return base


def _scenarios():
    """The scenarios with each tenant's dates of this moment."""
    _today = {tenant: local_today(tenant) for tenant in TENANT_IDS}
    return {
        # EPM 3.1 / P&P 7.10: supervisor and department head; out of state alerts payroll (email and webhook) and the HR officer.
        "mit": {"request": {"employee": employee(), "supervisor_email": "sup.mit@example.edu", "arrangement_type": "hybrid",
                            "remote_days_per_week": 2, "location": {"country": "US", "region": "NY"},
                            "start_date": str(_today["mit"]), "end_date": str(_today["mit"] + datetime.timedelta(days=60)),
                            "attestations": {"no_regular_dependent_care": True, "free_from_distractions": True}},
                "roles": ["supervisor", "department_head"], "alert_rules": ["mit-out-of-state"], "webhook": True},
        # Mines FWA policy: supervisor, dean/director/department head, vice president (in Colorado: no HR step).
        "mines": {"request": {"employee": employee(department="geology"), "supervisor_email": "sup.mines@example.edu",
                              "arrangement_type": "remote_work", "remote_days_per_week": 2, "location": {"country": "US", "region": "CO"},
                              "start_date": str(_today["mines"]), "end_date": str(_today["mines"] + datetime.timedelta(days=120)),
                              "fields": {"alternate_location_conducive": "quiet home office", "job_requirements": "analysis", "department_impact": "none"},
                              "attestations": {"no_primary_care_during_work_hours": True, "colorado_permanent_residence": True}},
                  "roles": None, "alert_rules": [], "webhook": False},
        # 103 DOC 213: supervisor, division head, executive director of HR.
        "ma-doc": {"request": {"employee": employee(email="lee@example.gov", employee_class="administrative", bargaining_unit="6", job_title="program coordinator"),
                               "supervisor_email": "sup.doc@example.gov", "arrangement_type": "flextime", "schedule": "07:00-15:30",
                               "start_date": str(_today["ma-doc"] + datetime.timedelta(days=14)),
                               "justification": "Earlier hours align with the morning intake shift and reduce overtime."},
                   "roles": ["supervisor", "division_head", "hr_director"], "alert_rules": [], "webhook": False},
        # Article 59: hybrid 1-2 days needs supervisor and department head; home office in NJ.
        "rutgers": {"request": {"employee": employee(email="sam@example.edu"), "supervisor_email": "sup.ru@example.edu", "arrangement_type": "hybrid",
                                "remote_days_per_week": 2, "location": {"country": "US", "region": "NJ"},
                                "start_date": str(_today["rutgers"]), "end_date": str(_today["rutgers"] + datetime.timedelta(days=180))},
                    "roles": ["supervisor", "department_head"], "alert_rules": [], "webhook": False},
        # F.4.00: flextime needs the supervisor and the unit's vice provost.
        "univ-f400": {"request": {"employee": employee(email="kim@example.edu"), "supervisor_email": "sup.f400@example.edu",
                                  "arrangement_type": "flextime", "schedule": "07:30-16:15",
                                  "start_date": str(_today["univ-f400"] + datetime.timedelta(days=21))},
                      "roles": ["supervisor", "vice_provost"], "alert_rules": [], "webhook": False},
    }


class _Scenarios(collections.abc.Mapping):
    """SCENARIOS[tenant]: built afresh on each access, with the tenant's date of that moment (a run
    can cross midnight in a tenant's time zone; a date fixed when the module was imported is then
    in the past and the request is refused as not in advance)."""

    def __getitem__(self, tenant):
        return _scenarios()[tenant]

    def __iter__(self):
        return iter(TENANT_IDS)

    def __len__(self):
        return len(TENANT_IDS)


SCENARIOS = _Scenarios()
