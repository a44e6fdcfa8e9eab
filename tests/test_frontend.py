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
    def fake_ask(path, model):
        seen['path'] = path; raise fe.SpaceUnavailable('stopped')
    monkeypatch.setattr(fe, 'ask_space', fake_ask)
    post(client, b'fLaC' + bytes(100), name='../../etc/passwd.wav')
    assert Path(seen['path']).name == 'upload.flac'

def test_space_down_is_a_clear_message(client, fe, dog_clip):
    fe.SPACE = f'http://127.0.0.1:{free_port()}/'; fe.reset_client()
    r = post(client, dog_clip.read_bytes(), hx=False)
    assert r.status_code == 503 and 'service is unavailable' in r.text

def test_analysis_through_the_real_space(client, fe, space_url, dog_clip):
    fe.SPACE = space_url; fe.reset_client()
    r = post(client, dog_clip.read_bytes(), name='anything.bin')
    assert r.status_code == 200 and '<h2>dog</h2>' in r.text and 'id="spectrogram"' in r.text
    assert fe.space_client() is fe.space_client()
    r = post(client, b'RIFF\x00\x00\x00\x00WAVEjunk' + bytes(500))
    assert 'Could not read' in r.text and 'problem' in r.text

def test_session_key_comes_from_the_environment_never_from_git(monkeypatch):
    import subprocess
    if (ROOT/'.git').exists():
        tracked = subprocess.run(['git', 'ls-files'], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
        assert not [f for f in tracked if Path(f).name == '.sesskey'], 'a session signing key is tracked in git'
    monkeypatch.setenv('SONICSIGHT_SESSION_KEY', 'a-key-set-with-piku-config')
    sessions = [m for m in load_frontend().app.user_middleware if m.cls.__name__ == 'SessionMiddleware']
    assert [m.kwargs['secret_key'] for m in sessions] == ['a-key-set-with-piku-config']
