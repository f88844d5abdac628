"""What a person sees on map pages, as text, to compare two renderings of the same maps.

``python scripts/map_text.py OUT.txt MAP.html…`` opens each page in headless Chromium (as the
browser tests do) and writes its visible text: the body's ``innerText``, the attributes people
read (placeholder, aria labels), every record's and relation's card, the status line after a
year filter, the search messages, the panel toggle, the printed legend and the data payload's
hash. Two renderings that show the same text give the same file.
"""

from __future__ import annotations

import hashlib
import re
import sys
import time
from pathlib import Path

DUMP = """
var out = [];
out.push('== body');
out.push(document.body.innerText);
out.push('== attributes');
out.push(document.getElementById('search').placeholder);
out.push(document.getElementById('map').getAttribute('aria-label'));
out.push(document.getElementById('details-close').getAttribute('aria-label'));
out.push(document.title);
document.querySelectorAll('noscript').forEach(function (n) { out.push(n.textContent); });
out.push('== cards');
window.ccmMap.nodeIds().forEach(function (id) {
  out.push('node ' + id + ': ' + window.ccmMap.showCard('node', id));
});
window.ccmMap.edgeIds().forEach(function (id) {
  out.push('edge ' + id + ': ' + window.ccmMap.showCard('edge', id));
});
return out.join('\\n');
"""

LATER = """
var out = [];
var from = document.getElementById('year-from'), to = document.getElementById('year-to');
if (from.options.length > 2) {
  from.value = from.options[1].value; from.dispatchEvent(new Event('change'));
  to.value = to.options[1].value; to.dispatchEvent(new Event('change'));
}
out.push('== status after the year filter');
out.push(document.getElementById('status').textContent);
window.ccmMap.preparePrint();
out.push('== print legend');
out.push(document.getElementById('print-legend').innerText);
var toggle = document.getElementById('panel-toggle');
toggle.click(); out.push('== toggle: ' + toggle.textContent); toggle.click();
out.push('== toggle again: ' + toggle.textContent);
var ring = document.querySelector('#gap-toggle input');
if (ring) {
  ring.click();
  out.push('== after ring toggle');
  out.push(document.getElementById('panel').innerText);
}
return out.join('\\n');
"""


def search_status(driver, text: str) -> str:
    box = driver.find_element("id", "search")
    box.clear()
    box.send_keys(text)
    time.sleep(0.6)
    return driver.execute_script("return document.getElementById('search-status').textContent")


def main(out: str, pages: list[str]) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-background-networking",
        "--window-size=1400,900",
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    lines = []
    try:
        for page in pages:
            path = Path(page).resolve()
            text = path.read_text(encoding="utf-8")
            data = re.search(r'id="ccm-map-data">(.*?)</script>', text, re.S)
            lines.append(f"##### {path.name}")
            lines.append("payload sha256 " + hashlib.sha256(data.group(1).encode()).hexdigest())
            driver.get(path.as_uri())
            for _ in range(600):
                if driver.execute_script(
                    "return document.body.getAttribute('data-map-ready') === 'true'"
                ):
                    break
                time.sleep(0.1)
            lines.append(driver.execute_script(DUMP))
            for query in ("Chad", "a", "zzzz"):
                lines.append(f"== search {query!r}: " + search_status(driver, query))
            search_status(driver, "")
            lines.append(driver.execute_script(LATER))
            problems = [
                e["message"]
                for e in driver.get_log("browser")
                if e["level"] in ("SEVERE", "WARNING")
            ]
            lines.append("== console problems: " + repr(problems))
    finally:
        driver.quit()
    Path(out).write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
