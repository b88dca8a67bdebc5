"""K230: planned outages weighed against the services' usage profiles, which loading
read (:attr:`katko.records.dataset.Dataset.profiles`): a check reads no files."""

from __future__ import annotations

from collections.abc import Iterator

from ...core.i18n import N_
from ...usage import windows
from ...usage.windows import Assessment
from ..dataset import Dataset, Record
from ..diagnostics import Diagnostic
from ..messages import Decimal, Period, Series, Term, params
from .base import Context, dataset_check, problem


@dataset_check
def quiet_windows(dataset: Dataset, context: Context) -> Iterator[Diagnostic]:
    """K230 (warning): a planned outage outside the quietest share of the week's windows.

    Only for services with a usage profile (``usage/ID.csv`` next to the
    records). Every planned outage that has not ended or been cancelled also
    gets a *note* with its expected affected users, for staff: notes never
    fail a check and the site build never shows them, and the K230 message
    itself names no figures.
    """
    profiles = dataset.profiles
    share = context.settings.quiet_share(context.policy)
    for record in dataset.records:
        o = record.outage
        if o.kind != "planned" or o.end is None or o.end <= o.start \
                or context.state(o).over:
            continue
        for i, service in enumerate(o.services):
            profile = profiles.get(service)
            if profile is None:
                continue
            a = windows.assess(profile, o.start, o.end, share, after=context.settings.now)
            yield _expected_note(record, i, service, a)
            if not a.quiet:
                yield _busy(record, service, a, share)


def _expected_note(record: Record, index: int, service: str, a: Assessment) -> Diagnostic:
    line, column = record.doc.position(("services", index))
    return Diagnostic(record.doc.path, line, column, "note", "",
                      N_("%(service)s: expected affected users %(expected)s (%(unit)s, sum of the profile's "
                         "%(statistic)s per hour), %(share)s %% of a week's; rank %(rank)s of %(windows)s windows of "
                         "this length (1 = quietest)"),
                      params=params(service=service, expected=Decimal(a.expected), unit=Term(UNITS.get(a.unit, a.unit)),
                                    statistic=Term(STATISTICS.get(a.statistic, a.statistic)), share=Decimal(a.share * 100, 2),
                                    rank=a.rank, windows=a.windows))


#: The words of a usage profile's unit and statistic (:mod:`katko.usage.profiles`).
UNITS = {"requests": N_("requests"), "visits": N_("visits")}
STATISTICS = {"mean": N_("mean")}


def _busy(record: Record, service: str, a: Assessment, share: float) -> Diagnostic:
    values = dict(service=service, share=Decimal(share * 100, None), length=a.window.end - a.window.start, rank=a.rank,
                  windows=a.windows)
    if a.better:
        return problem(record.doc, ("start",), "K230",
                       N_("%(service)s is busier at this time than in the quietest %(share)s %% of the week's "
                          "%(length)s windows (this one is number %(rank)s of %(windows)s, quietest first); quieter "
                          "in the same week: %(quieter)s"),
                       "warning", quieter=Series(tuple(Period(w.start, w.end, iso=True) for w in a.better)), **values)
    return problem(record.doc, ("start",), "K230",
                   N_("%(service)s is busier at this time than in the quietest %(share)s %% of the week's "
                      "%(length)s windows (this one is number %(rank)s of %(windows)s, quietest first); no quieter "
                      "window is left in the same week"),
                   "warning", **values)
