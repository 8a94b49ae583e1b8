"""A student changes their password on Account settings, in Chromium: a wrong current
password is refused with a message, the right one changes it, and another browser that was
logged in as them is logged out."""

from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_student_journey import assert_accessible

OLD_PASSWORD = "a long enough password"
NEW_PASSWORD = "violet kettle under moonlight"


def register(page: Page, server: str, username: str) -> None:
    page.goto(server + "/register")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(OLD_PASSWORD)
    page.get_by_label("Repeat the password").fill(OLD_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("link", name="Account settings")).to_be_visible()


def test_a_student_changes_the_password_and_other_browsers_are_logged_out(
    page: Page, browser: Browser, server
):
    register(page, server, "pat-changes")
    other = browser.new_context().new_page()
    other.goto(server + "/login")
    other.get_by_label("Username").fill("pat-changes")
    other.get_by_label("Password").fill(OLD_PASSWORD)
    other.get_by_role("button", name="Log in").click()
    expect(other.get_by_role("link", name="Account settings")).to_be_visible()

    page.get_by_role("link", name="Account settings").click()
    expect(page.get_by_role("heading", name="Account settings", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Change password")).to_be_visible()
    assert_accessible(page, "account settings")

    page.get_by_label("Current password").fill("not my password at all")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("alert")).to_contain_text("That is not your current password.")
    assert_accessible(page, "account settings with an error")

    page.get_by_label("Current password").fill(OLD_PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password is changed.")
    expect(page.get_by_role("link", name="Account settings")).to_be_visible()

    other.reload()
    nav = other.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Log in")).to_be_visible()
    expect(nav.get_by_role("link", name="Account settings")).to_have_count(0)
    other.context.close()


def test_the_account_page_fits_a_phone(browser: Browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    register(page, server, "pat-phone")
    page.goto(server + "/account")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    context.close()
