"The FastHTML frontend through Starlette's TestClient: every route and every rejection, against the real local Space."
import importlib.util, io
from pathlib import Path
import pytest
from starlette.testclient import TestClient
from conftest import ROOT, free_port

def load_frontend():
    spec = importlib.util.spec_from_file_location('sonicsight_frontend', ROOT/'frontend'/'main.py')
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod); return mod

@pytest.fixture(scope='module')
def fe(): return load_frontend()

@pytest.fixture()
def client(fe): return TestClient(fe.app)

def post(client, data:bytes, name='clip.wav', model='esc50', hx=True):
    return client.post('/analyze', files={'audio': (name, data, 'audio/wav')}, data={'model': model},
                       headers={'HX-Request': 'true'} if hx else {})

def test_home_page_is_a_plain_multipart_form(client):
    r = client.get('/')
    assert r.status_code == 200
    for part in ('<form', 'enctype="multipart/form-data"', 'action="/analyze"', 'type="file"', 'name="model"', 'hx-post="/analyze"'):
        assert part in r.text

def test_health(client): assert client.get('/health').text == 'ok'

def test_rejections(client, fe):
    assert 'not an audio file' in post(client, b'\x89PNG\r\n\x1a\n' + bytes(2000), name='dog.wav').text
    assert 'empty' in post(client, b'').text
    assert 'Choose one of the models' in post(client, b'RIFF', model='resnet').text
    big = b'RIFF\x00\x00\x00\x00WAVE' + bytes(fe.MAX_BYTES)
    r = post(client, big, hx=False)
    assert r.status_code == 413 and 'too big' in r.text
    assert client.post('/analyze', data={'model': 'esc50'}).status_code == 400

def test_streamed_body_is_counted_not_trusted(client, fe):
    "A body longer than its declared Content-Length is cut off by what arrives, not by the header"
    def chunks():
        yield b'--b\r\nContent-Disposition: form-data; name="audio"; filename="x.wav"\r\n\r\nRIFF'
        for _ in range(12): yield bytes(1024*1024)
        yield b'\r\n--b--\r\n'
    r = client.post('/analyze', content=chunks(), headers={'Content-Type': 'multipart/form-data; boundary=b', 'Content-Length': '5000'})
    assert r.status_code == 413 and 'too big' in r.text

def test_chunked_upload_without_length_is_not_parsed(client):
    def chunks(): yield b'--b\r\nContent-Disposition: form-data; name="audio"; filename="x.wav"\r\n\r\nRIFF\r\n--b--\r\n'
    r = client.post('/analyze', content=chunks(), headers={'Content-Type': 'multipart/form-data; boundary=b'})
    assert r.status_code == 400 and 'Choose an audio file' in r.text

def test_client_file_name_never_becomes_a_path(client, fe, tmp_path, monkeypatch):
    seen = {}
    def fake_ask(path, model, example=None):
        seen['path'] = path; raise fe.SpaceUnavailable('stopped')
    monkeypatch.setattr(fe, 'ask_space', fake_ask)
    post(client, b'fLaC' + bytes(100), name='../../etc/passwd.wav')
    assert Path(seen['path']).name == 'upload.flac'

@pytest.fixture()
def use_space(fe, monkeypatch):
    "Point the frontend at `url` for one test only"
    def use(url): monkeypatch.setattr(fe, 'SPACE', url); fe.reset_client()
    yield use
    fe.reset_client()

def test_space_down_is_a_clear_message(client, fe, dog_clip, use_space, monkeypatch):
    monkeypatch.setattr(fe, 'LOCAL', 'never')
    use_space(f'http://127.0.0.1:{free_port()}/')
    r = post(client, dog_clip.read_bytes(), hx=False)
    assert r.status_code == 503 and 'service is unavailable' in r.text

def test_analysis_through_the_real_space(client, fe, space_url, dog_clip, use_space):
    use_space(space_url)
    r = post(client, dog_clip.read_bytes(), name='anything.bin')
    assert r.status_code == 200 and '<h2>dog</h2>' in r.text and 'id="spectrogram"' in r.text
    assert fe.space_client() is fe.space_client()
    r = post(client, b'RIFF\x00\x00\x00\x00WAVEjunk' + bytes(500))
    assert 'Could not read' in r.text and 'problem' in r.text

def test_errors_name_the_users_file_without_decoder_jargon(client, space_url, dog_clip, use_space):
    use_space(space_url)
    r = post(client, dog_clip.read_bytes()[:3000], name='cat.flac')
    assert 'Could not read cat.flac: truncated or corrupt audio.' in r.text
    assert 'upload.flac' not in r.text and 'decoder' not in r.text
    assert 'my notes.txt is not an audio file' in post(client, b'hello there', name='C:\\Users\\me\\my notes.txt').text

def test_slow_space_is_a_clear_message(client, fe, space_url, dog_clip, use_space, monkeypatch):
    monkeypatch.setattr(fe, 'LOCAL', 'never')
    use_space(space_url); fe.space_client()  # connected with the normal timeout
    monkeypatch.setattr(fe, 'TIMEOUT', 0.001)  # then no answer is quick enough
    r = post(client, dog_clip.read_bytes(), hx=False)
    assert r.status_code == 504 and 'did not answer within 0 s' in r.text and 'Choose the file again' in r.text

def test_examples_long_and_uncertain_through_the_real_space(client, space_url, use_space):
    use_space(space_url)
    r = client.post('/analyze', data={'model': 'esc50', 'example': 'rain, dog, rooster'}, headers={'HX-Request': 'true'})
    assert r.status_code == 200 and '<h2>dog</h2>' in r.text
    assert 'id="timeline"' in r.text and r.text.count('s: rain') == 1 and 'id="cam"' in r.text and 'where the network heard dog' in r.text
    r = client.post('/analyze', data={'model': 'esc50', 'example': 'helicopter and dog'}, headers={'HX-Request': 'true'})
    assert '<h2>Not sure</h2>' in r.text and 'id="timeline"' not in r.text
    assert 'Choose one of the examples' in client.post('/analyze', data={'model': 'esc50', 'example': '../x'}).text

def test_examples_and_models_are_the_spaces(fe):
    from sonicsight import space
    from sonicsight.inference import SHIPPED
    assert fe.EXAMPLES == tuple(space.examples()) and tuple(fe.MODELS) == SHIPPED
    assert fe.MODELS == {value: label for label, value in space.MODEL_CHOICES}

def test_no_javascript_form_keeps_the_model_and_says_to_pick_the_file_again(client):
    r = post(client, b'hello', name='dog.wav', model='cats-dogs', hx=False)
    assert r.status_code == 415
    assert 'value="cats-dogs" checked' in r.text and 'value="esc50" checked' not in r.text
    assert 'Choose the file again' in r.text

def test_assets_are_served_from_the_app_pinned_with_licences(client, fe):
    import re
    page = client.get('/').text
    hosts = set(re.findall(r'(?:src|href)="(?:https?:)?//([^/"]+)', page))
    assert hosts <= {'testserver'}, f'the page points the browser at {hosts}'  # FastHTML's canonical link names the site itself
    for asset in fe.ASSETS:
        assert f'/static/{asset}' in page
        r = client.get(f'/static/{asset}')
        assert r.status_code == 200 and len(r.content) > 10_000
    assert (fe.STATIC/'LICENSE.htmx').is_file() and (fe.STATIC/'LICENSE.pico').is_file()

def test_only_static_folder_is_served(client, monkeypatch):
    monkeypatch.chdir(ROOT/'frontend')  # where Piku runs the app
    for leak in ('/cloudflared-config.yml', '/requirements.txt', '/static/../ENV', '/static/..%2FENV'):
        assert client.get(leak).status_code == 404, leak

def test_quiet_waveform_is_scaled_and_window_marked(fe):
    w = {'values': [0.0, 0.05, -0.1, 0.02], 'duration': 18.0, 'sample_rate': 16_000}
    html = fe.to_xml(fe.waveform_view(w, {'start': 5.0, 'end': 10.0}))
    assert 'quiet, shown ×10' in html and 'x="277.8"' in html and 'width="277.8"' in html

def test_session_key_comes_from_the_environment_never_from_git(monkeypatch):
    import subprocess
    if (ROOT/'.git').exists():
        tracked = subprocess.run(['git', 'ls-files'], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
        assert not [f for f in tracked if Path(f).name == '.sesskey'], 'a session signing key is tracked in git'
    monkeypatch.setenv('SONICSIGHT_SESSION_KEY', 'a-key-set-with-piku-config')
    sessions = [m for m in load_frontend().app.user_middleware if m.cls.__name__ == 'SessionMiddleware']
    assert [m.kwargs['secret_key'] for m in sessions] == ['a-key-set-with-piku-config']

def test_signatures_agree_with_the_library(fe):
    "The Pi checks uploads by the same magic bytes the Space decodes by"
    from sonicsight.audio import sniff_format
    suffix = {'wav': '.wav', 'aiff': '.aiff', 'flac': '.flac', 'ogg': '.ogg', 'mp3': '.mp3', 'webm': '.webm', 'au': '.au', 'mp4': '.m4a', 'aac': '.aac'}
    heads = [b'RIFF\0\0\0\0WAVEfmt ', b'RF64\0\0\0\0WAVEds64', b'RIFF\0\0\0\0AVI LIST', b'FORM\0\0\0\0AIFFCOMM', b'FORM\0\0\0\0AIFCFVER',
             b'fLaC\0\0\0"', b'OggS\0\2', b'ID3\4\0', b'\x1aE\xdf\xa3\x01', b'.snd\0\0\0\x18', b'\0\0\0\x20ftypM4A ',
             b'\xff\xf1\x50\x80', b'\xff\xfb\x90\x64', b'\x89PNG\r\n\x1a\n', b'%PDF-1.7', b'', b'\xff']
    for h in heads:
        fmt = sniff_format(h + bytes(16))
        assert fe.audio_suffix(h + bytes(16)) == (suffix[fmt] if fmt else None), h


# SONICSIGHT_LOCAL: the Pi answers with the sonicsight core when the Space does not (auto), never, or always

def test_space_down_answered_on_this_device(client, fe, dog_clip, use_space, monkeypatch):
    monkeypatch.setattr(fe, 'LOCAL', 'auto')
    use_space(f'http://127.0.0.1:{free_port()}/')
    r = post(client, dog_clip.read_bytes(), name='mine.flac')
    assert r.status_code == 200 and '<h2>dog</h2>' in r.text and 'id="cam"' in r.text
    assert 'Answered on this device; the SonicSight Space is not reachable.' in r.text
    r = post(client, dog_clip.read_bytes()[:3000], name='cat.flac')  # decoded here: the same message as from the Space
    assert r.status_code == 200 and 'Could not read cat.flac: truncated or corrupt audio.' in r.text

def test_space_slow_answered_on_this_device_within_the_budget(client, fe, dog_clip, monkeypatch):
    import time
    def sleeping_space(*a):
        time.sleep(3); raise fe.SpaceSlow()
    local, started = fe.ask_local, []
    def timed_local(*a): started.append(time.perf_counter()); return local(*a)
    monkeypatch.setattr(fe, 'ask_space', sleeping_space); monkeypatch.setattr(fe, 'ask_local', timed_local)
    monkeypatch.setattr(fe, 'LOCAL', 'auto'); monkeypatch.setattr(fe, 'LOCAL_AFTER', 0.3)
    t = time.perf_counter()
    r = client.post('/analyze', data={'model': 'esc50', 'example': 'helicopter and dog'}, headers={'HX-Request': 'true'})
    assert started[0] - t < 2  # answered here after the 0.3 s budget, not after the Space's 3 s
    assert '<h2>Not sure</h2>' in r.text and 'the SonicSight Space is waking up' in r.text and 'Example: helicopter and dog' in r.text

def test_healthy_space_answers_and_never_turns_the_fallback_off(client, fe, space_url, dog_clip, use_space, monkeypatch):
    use_space(space_url); monkeypatch.setattr(fe, 'LOCAL', 'auto')
    r = post(client, dog_clip.read_bytes())
    assert '<h2>dog</h2>' in r.text and 'Answered on this device' not in r.text
    monkeypatch.setattr(fe, 'LOCAL', 'never'); use_space(f'http://127.0.0.1:{free_port()}/')
    assert post(client, dog_clip.read_bytes(), hx=False).status_code == 503

def test_always_answers_here_without_asking_the_space(client, fe, dog_clip, monkeypatch):
    def no_space(*a): raise AssertionError('the Space was asked')
    monkeypatch.setattr(fe, 'ask_space', no_space); monkeypatch.setattr(fe, 'LOCAL', 'always')
    r = post(client, dog_clip.read_bytes(), model='cats-dogs')
    assert '<h2>dog</h2>' in r.text and 'Answered on this device.' in r.text
