from tests.browser.csp import csp_violations  # noqa: F401 (fixture)
