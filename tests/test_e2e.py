"End to end in a real browser: headless Debian Chromium driven by Playwright, the real frontend and the real local Space."
import os, shutil, subprocess, sys
import pytest
from conftest import ROOT, free_port, wait_http

CHROMIUM = shutil.which('chromium') or '/usr/bin/chromium'
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason='chromium not installed (scripts/system-deps installs it)')
ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--no-first-run', '--disable-sync']

def start_frontend(space):
    port = free_port()
    proc = subprocess.Popen([sys.executable, '-m', 'uvicorn', 'main:app', '--host', '127.0.0.1', '--port', str(port)], cwd=ROOT/'frontend',
                            env={**os.environ, 'SONICSIGHT_SPACE': space, 'SONICSIGHT_TIMEOUT': '20'},
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
    proc, url = start_frontend(f'http://127.0.0.1:{free_port()}/')
    try:
        analyze(page, url, dog_clip)
        assert 'service is unavailable' in page.inner_text('#problem')
    finally: proc.terminate(); proc.wait(10)
