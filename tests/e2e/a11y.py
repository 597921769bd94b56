"""axe-core on every screen of both apps: assert_accessible(page, name) fails on any serious or
critical violation, naming the rule, its help text and the first offending nodes."""

from axe_playwright_python.sync_playwright import Axe

BLOCKING = ("serious", "critical")
_AXE = Axe()


def blocking_violations(page) -> list[str]:
    violations = _AXE.run(page).response["violations"]
    found = []
    for violation in violations:
        if violation["impact"] not in BLOCKING:
            continue
        nodes = violation["nodes"]
        targets = ", ".join(" ".join(map(str, node["target"])) for node in nodes[:3])
        found.append(f"{violation['id']} ({violation['impact']}, {len(nodes)} nodes): {violation['help']} — {targets}")
    return found


def assert_accessible(page, name: str) -> None:
    """No serious or critical axe-core violation on the screen `name` as the page shows it now."""
    found = blocking_violations(page)
    assert not found, f"{name}: " + "\n".join(found)
