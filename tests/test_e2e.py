"""End to end in a real browser: headless Debian Chromium driven by Playwright, the real frontend and the real local Space,
at a desktop (1280×900) and a phone (390×844) viewport, with every request to another host refused.

`SONICSIGHT_SCREENSHOTS=DIR pytest tests/test_e2e.py` also saves the screenshots the README links (docs/screenshots)."""
import json, math, os, shutil, subprocess, sys
import pytest
from conftest import ROOT, free_port, wait_http

CHROMIUM = shutil.which('chromium') or '/usr/bin/chromium'
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason='chromium not installed (scripts/system-deps installs it)')
ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--no-first-run', '--disable-sync']

def start_frontend(space, **env):
    port = free_port()
    proc = subprocess.Popen([sys.executable, '-m', 'uvicorn', 'main:app', '--host', '127.0.0.1', '--port', str(port)], cwd=ROOT/'frontend',
                            env={**os.environ, 'SONICSIGHT_SPACE': space, 'SONICSIGHT_TIMEOUT': '20', **env},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wait_http(f'http://127.0.0.1:{port}/health', proc, 60)
    return proc, f'http://127.0.0.1:{port}/'

@pytest.fixture(scope='module')
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()

@pytest.fixture()
def page(browser):
    ctx = browser.new_context(viewport={'width': 390, 'height': 844})  # a phone screen
    # the test machine is offline: fail CDN requests at once instead of waiting for them
    ctx.route('**/*', lambda route: route.continue_() if route.request.url.startswith('http://127.0.0.1') else route.abort())
    yield ctx.new_page()
    ctx.close()

VIEWPORTS = {'desktop': {'width': 1280, 'height': 900}, 'phone': {'width': 390, 'height': 844}}
SHOTS = os.environ.get('SONICSIGHT_SCREENSHOTS')

@pytest.fixture(scope='module')
def frontend_url(space_url):
    proc, url = start_frontend(space_url)
    yield url
    proc.terminate(); proc.wait(10)

@pytest.fixture(params=list(VIEWPORTS))
def site(request, browser):
    "A page at each viewport, and the list of requests to other hosts it tried (all refused)"
    ctx = browser.new_context(viewport=VIEWPORTS[request.param])
    elsewhere = []
    def route(r):
        if r.request.url.startswith(('http://127.0.0.1', 'data:', 'blob:')): return r.continue_()
        elsewhere.append(r.request.url); return r.abort()
    ctx.route('**/*', route)
    page = ctx.new_page(); page.viewport_name = request.param
    yield page, elsewhere
    ctx.close()

def shot(page, name):
    if SHOTS: page.screenshot(path=os.path.join(SHOTS, f'{name}-{page.viewport_name}.jpg'), full_page=True, type='jpeg', quality=70)

def test_pi_site_is_styled_with_its_own_assets(site, frontend_url):
    page, elsewhere = site
    page.goto(frontend_url)
    assert page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--pico-primary')").strip()
    assert page.evaluate("typeof htmx") == 'object'
    assert page.eval_on_selector('#analyze', 'b => getComputedStyle(b).width') == page.eval_on_selector('form', 'f => getComputedStyle(f).width')
    assert elsewhere == []

def test_pi_site_uncertain_example(site, frontend_url):
    page, elsewhere = site
    page.goto(frontend_url)
    page.click('button[value="helicopter and dog"]')  # two sounds at once: no class fits alone
    page.wait_for_selector('#analysis', timeout=60_000)
    assert page.inner_text('#verdict h2') == 'Not sure' and 'Closest: ' in page.inner_text('#verdict')
    assert page.inner_text('#result').count('Not sure') == 1 and elsewhere == []

def cam_width(model:str)->int:
    "Columns of a model's class activation map: its input's width over the network's output stride (an ensemble's finest; from the card)"
    card = json.loads((ROOT/'sonicsight'/'models'/f'{model}.json').read_text())
    stride = card.get('output_stride', 32)
    return math.ceil(card['input']['width']/(min(stride) if isinstance(stride, list) else stride))

def test_pi_site_long_recording_timeline_and_overlay(site, frontend_url):
    page, elsewhere = site
    analyze(page, frontend_url, ROOT/'sonicsight'/'examples'/'rain-dog-rooster.flac')
    assert page.inner_text('#verdict h2') == 'dog'
    rows = page.locator('#timeline .row').all_inner_texts()
    assert len(rows) == 5 and rows[0].startswith('0–5 s: rain') and rows[-1].startswith('10–15 s: rooster')
    assert page.eval_on_selector('#cam', 'img => img.naturalWidth') == cam_width('esc50')  # the class activation map…
    assert page.locator('#cam').bounding_box() == page.locator('#spectrogram').bounding_box()  # …stretched over the spectrogram
    assert page.locator('#window').count() == 1 and '5–10 s' in page.inner_text('#waveform')
    shot(page, 'pi'); assert elsewhere == []

def test_pi_site_without_javascript_keeps_the_choices(browser, frontend_url):
    ctx = browser.new_context(java_script_enabled=False); page = ctx.new_page()
    try:
        page.goto(frontend_url)
        page.check('input[value="cats-dogs"]')
        page.set_input_files('#audio', {'name': 'cat.flac', 'mimeType': 'audio/flac', 'buffer': (ROOT/'sonicsight'/'examples'/'dog.flac').read_bytes()[:3000]})
        page.click('#analyze'); page.wait_for_selector('#problem')
        assert 'Could not read cat.flac: truncated or corrupt audio.' in page.inner_text('#problem')
        assert 'Choose the file again' in page.inner_text('#result')
        assert page.is_checked('input[value="cats-dogs"]')
        page.click('button[value="dog"]'); page.wait_for_selector('#analysis')
        assert page.is_checked('input[value="cats-dogs"]') and '(Cats vs dogs)' in page.inner_text('#verdict')
    finally: ctx.close()

def test_pi_site_says_when_there_is_no_microphone(browser, frontend_url):
    ctx = browser.new_context(permissions=['microphone']); page = ctx.new_page()  # allowed, but this machine has none
    try:
        page.goto(frontend_url); page.click('#rec')
        page.wait_for_function("document.getElementById('rec-status').textContent.length > 0")
        assert page.inner_text('#rec-status') == 'No microphone found: plug one in, or choose a file.'
    finally: ctx.close()

def test_space_page_uncertain_and_long_examples(site, space_url):
    page, elsewhere = site
    page.goto(space_url)
    page.get_by_text('helicopter and dog', exact=True).first.click()
    page.wait_for_function("document.querySelector('#verdict').innerText.includes('Not sure')", timeout=60_000)
    assert page.inner_text('body').count('Not sure') == 1  # said once: the top-5 box has no heading of its own
    page.get_by_text('rain, dog, rooster', exact=True).first.click()
    page.wait_for_function("document.querySelector('#verdict').innerText.includes('dog')", timeout=60_000)
    page.wait_for_selector('#timeline img', timeout=30_000)
    assert page.locator('.error').count() == 0
    shot(page, 'space'); assert elsewhere == []

def analyze(page, url, path):
    page.goto(url)
    page.set_input_files('#audio', str(path))
    page.click('#analyze')
    page.wait_for_selector('#analysis, #problem', timeout=60_000)

def test_dog_clip_in_the_browser(page, space_url, dog_clip, tmp_path):
    proc, url = start_frontend(space_url)
    try:
        analyze(page, url, dog_clip)
        assert page.inner_text('#verdict h2') == 'dog'
        assert page.eval_on_selector('#spectrogram', 'img => img.naturalWidth') > 100
        page.screenshot(path=str(tmp_path/'dog.png'), full_page=True)
        png = tmp_path/'dog.wav'; png.write_bytes(b'\x89PNG\r\n\x1a\n' + bytes(4000))  # a picture renamed to .wav
        analyze(page, url, png)
        assert 'not an audio file' in page.inner_text('#problem')
    finally: proc.terminate(); proc.wait(10)

def test_space_stopped_shows_service_unavailable(page, dog_clip):
    proc, url = start_frontend(f'http://127.0.0.1:{free_port()}/', SONICSIGHT_LOCAL='never')
    try:
        analyze(page, url, dog_clip)
        assert 'service is unavailable' in page.inner_text('#problem')
    finally: proc.terminate(); proc.wait(10)

def test_space_stopped_answered_on_this_device(page, dog_clip):
    proc, url = start_frontend(f'http://127.0.0.1:{free_port()}/', SONICSIGHT_LOCAL='auto')
    try:
        analyze(page, url, dog_clip)
        assert page.inner_text('#verdict h2') == 'dog'
        assert page.inner_text('#answered-here') == 'Answered on this device; the SonicSight Space is not reachable.'
    finally: proc.terminate(); proc.wait(10)
