"""The keyboard focus ring stands out: at least 3:1 against what it is drawn on (WCAG 2.2,
non-text contrast), on every control a Tab reaches on the welcome and login pages."""

from playwright.sync_api import Page

# For each focused element: its outline colour and width, and the colour behind it (the
# background of the nearest ancestor that paints one, the outline lying just outside).
RING = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  let behind = el.parentElement;
  while (behind && getComputedStyle(behind).backgroundColor.match(/rgba\\(.*, 0\\)$|transparent/))
    behind = behind.parentElement;
  return {
    tag: el.tagName,
    name: el.textContent.trim().slice(0, 30) || el.getAttribute('name') || el.tagName,
    outline: style.outlineStyle === 'none' ? null : style.outlineColor,
    width: parseFloat(style.outlineWidth),
    behind: behind ? getComputedStyle(behind).backgroundColor : 'rgb(255, 255, 255)',
  };
}"""


def luminance(rgb: str) -> float:
    channels = [int(part) / 255 for part in rgb[rgb.index("(") + 1 : -1].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_focus_ring_has_3_to_1_contrast_with_the_page(page: Page, server):
    checked = 0
    for path in ("/", "/login"):
        page.goto(server + path)
        for _ in range(12):
            page.keyboard.press("Tab")
            ring = page.evaluate(RING)
            if ring["tag"] == "BODY":
                break
            assert ring["outline"] and ring["width"] >= 2, f"{path}: {ring['name']} has no ring"
            ratio = contrast(ring["outline"], ring["behind"])
            assert ratio >= 3, f"{path}: ring of {ring['name']} is {ratio:.1f}:1 on {ring}"
            checked += 1
    assert checked >= 8
