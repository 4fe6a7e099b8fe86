"""Running a Hypothesis state machine against a live service: one way, for every such test."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine


def explore(
    machine: type[RuleBasedStateMachine], examples: int, steps: int, *, derandomize: bool
) -> None:
    """Run `machine` for `examples` runs of up to `steps` steps. No deadline (a live
    server's answers vary with the machine's load); derandomised for CI, so a CI run
    explores the same examples every time."""
    case = machine.TestCase
    case.settings = settings(
        max_examples=examples,
        stateful_step_count=steps,
        deadline=None,
        derandomize=derandomize,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    case().runTest()
