"""Account settings in Chromium: the device's own time zone is offered (JavaScript on) and
saved; the page passes axe."""

from playwright.sync_api import expect

from tests.e2e.test_student_journey import assert_accessible
from tests.e2e.test_teacher_journey import register_student


def test_the_devices_time_zone_is_offered_and_saved(browser, server):
    context = browser.new_context(timezone_id="Asia/Tokyo")
    page = context.new_page()
    register_student(page, server, "tz-taro")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Account settings").click()
    expect(page.get_by_role("heading", name="Account settings", level=1)).to_be_visible()
    zone = page.get_by_role("combobox", name="Time zone")
    expect(zone).to_have_value("UTC")
    assert_accessible(page, "account settings")
    page.get_by_role("button", name="Use this device's zone: Asia/Tokyo").click()
    expect(zone).to_have_value("Asia/Tokyo")
    page.get_by_role("button", name="Save the time zone").click()
    expect(page.locator(".flash")).to_have_text("Times are now shown in Asia/Tokyo.")
    expect(zone).to_have_value("Asia/Tokyo")
    # The zone chosen, the offer goes away.
    expect(page.get_by_role("button", name="Use this device's zone: Asia/Tokyo")).to_be_hidden()
    context.close()
