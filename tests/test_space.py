"The Gradio app for real: a server on a free local port, called through gradio_client."
import os, urllib.request
import pytest
from gradio_client import Client, handle_file
from sonicsight.inference import example_clips

@pytest.fixture(scope='module')
def client(space_url): return Client(space_url, verbose=False)

def test_app_py_runs_from_inside_space_folder(space_url):
    assert urllib.request.urlopen(space_url, timeout=10).status == 200

def test_api_names(client):
    names = set(client.view_api(print_info=False, return_format='dict')['named_endpoints'])
    assert {'/predict', '/analyze'} <= names

def test_predict_dog(client, dog_clip):
    res = client.predict(handle_file(str(dog_clip)), 'esc50', api_name='/predict')
    assert res['label'] == 'dog' and len(res['predictions']) == 5 and res['duration'] == 5.0

def test_predict_cats_dogs(client, dog_clip):
    assert client.predict(handle_file(str(dog_clip)), 'cats-dogs', api_name='/predict')['label'] == 'dog'

@pytest.mark.parametrize('example,label', [('dog', 'dog'), ('helicopter and dog', 'uncertain'), ('rain, dog, rooster', 'dog')])
def test_predict_and_analyze_agree(client, example, label):
    "One decision rule: both endpoints give the same label, top 5, duration and timeline, for a confident, an uncertain and a long clip"
    clip = example_clips()[example]
    p = client.predict(handle_file(str(clip)), 'esc50', api_name='/predict')
    a = client.predict(handle_file(str(clip)), 'esc50', api_name='/analyze')
    assert p['label'] == label
    assert {k: a[k] for k in p} == p
    assert ('timeline' in p) == (example == 'rain, dog, rooster')
    assert client.predict(example, 'esc50', api_name='/analyze_example') == {**a, 'file': clip.name}

def test_analyze_schema(client, dog_clip):
    a = client.predict(handle_file(str(dog_clip)), 'esc50', api_name='/analyze')
    assert a['label'] == 'dog' and a['predictions'][0] == {'class': 'dog', 'confidence': a['predictions'][0]['confidence']}
    assert list(a['visualization']) == ['stage1', 'stage2', 'stage3', 'stage4', 'stage5']
    assert a['input_spectrogram']['shape'] == [128, 251] and a['waveform']['sample_rate'] == 16_000
    assert len(a['input_spectrogram']['frequencies']) == 128
    cam = a['class_activation']
    assert cam['class'] == 'dog' and cam['shape'] == a['visualization']['stage5']['shape'] and max(map(max, cam['values'])) > 0.5

def test_user_mistakes_come_back_as_messages_and_server_keeps_serving(client, dog_clip, tmp_path):
    (tmp_path/'notes.wav').write_text('definitely not audio')
    with pytest.raises(Exception, match='Could not read notes.wav: not an audio file'):
        client.predict(handle_file(str(tmp_path/'notes.wav')), 'esc50', api_name='/predict')
    (tmp_path/'empty.wav').write_bytes(b'')
    with pytest.raises(Exception, match='empty file'):
        client.predict(handle_file(str(tmp_path/'empty.wav')), 'esc50', api_name='/analyze')
    assert client.predict(handle_file(str(dog_clip)), 'esc50', api_name='/predict')['label'] == 'dog'

def test_corrupt_file_is_named_without_decoder_jargon(client, dog_clip, tmp_path):
    cut = tmp_path/'cat.flac'; cut.write_bytes(dog_clip.read_bytes()[:3000])
    with pytest.raises(Exception) as e: client.predict(handle_file(str(cut)), 'esc50', api_name='/analyze')
    assert 'Could not read cat.flac: truncated or corrupt audio.' in str(e.value) and 'decoder' not in str(e.value)

def test_too_big_upload_is_refused(space_url, tmp_path):
    big = tmp_path/'big.wav'; big.write_bytes(b'RIFF' + os.urandom(11_000_000))
    with pytest.raises(Exception, match='(?i)file size|too large|exceeds'):
        Client(space_url, verbose=False).predict(handle_file(str(big)), 'esc50', api_name='/predict')
