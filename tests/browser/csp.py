"""Content-Security-Policy violations in the browser tests: collected per context, fatal.

Every page the tests open runs under the portal's real policy (django-csp). A listener added
before any page script reports each `securitypolicyviolation` event to the console, where the
context collects it together with Chromium's own "Content Security Policy" messages.
"""

import pytest

CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    "CSP violation: " + event.violatedDirective + " blocked " + (event.blockedURI || "inline")
    + " on " + event.documentURI + (event.sample ? " (" + event.sample + ")" : "")
  );
});
"""


def watch_csp(context, violations: list[str]):
    """Record every CSP violation of `context`'s pages into `violations`; returns the context."""
    context.add_init_script(CSP_LISTENER)

    def on_console(message) -> None:
        text = message.text
        if text.startswith("CSP violation") or "Content Security Policy" in text:
            violations.append(text)

    context.on("console", on_console)
    return context


@pytest.fixture
def csp_violations():
    """The list the tests' contexts report into; any entry fails the test at teardown."""
    violations: list[str] = []
    yield violations
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)
