"The Gradio app for real: a server on a free local port, called through gradio_client."
import os, urllib.request
import pytest
from gradio_client import Client, handle_file

@pytest.fixture(scope='module')
def client(space_url): return Client(space_url, verbose=False)

def test_app_py_runs_from_inside_space_folder(space_url):
    assert urllib.request.urlopen(space_url, timeout=10).status == 200

def test_api_names(client):
    names = set(client.view_api(print_info=False, return_format='dict')['named_endpoints'])
    assert {'/predict', '/analyze'} <= names

def test_predict_dog(client, dog_clip):
    res = client.predict(handle_file(str(dog_clip)), 'esc50', api_name='/predict')
    assert res['label'] == 'dog' and len(res['confidences']) == 5

def test_predict_cats_dogs(client, dog_clip):
    assert client.predict(handle_file(str(dog_clip)), 'cats-dogs', api_name='/predict')['label'] == 'dog'

def test_analyze_schema(client, dog_clip):
    a = client.predict(handle_file(str(dog_clip)), 'esc50', api_name='/analyze')
    assert a['label'] == 'dog' and a['predictions'][0] == {'class': 'dog', 'confidence': a['predictions'][0]['confidence']}
    assert list(a['visualization']) == ['stage1', 'stage2', 'stage3', 'stage4', 'stage5']
    assert a['input_spectrogram']['shape'] == [128, 251] and a['waveform']['sample_rate'] == 16_000

def test_user_mistakes_come_back_as_messages_and_server_keeps_serving(client, dog_clip, tmp_path):
    (tmp_path/'notes.wav').write_text('definitely not audio')
    with pytest.raises(Exception, match='Could not read notes.wav: not an audio file'):
        client.predict(handle_file(str(tmp_path/'notes.wav')), 'esc50', api_name='/predict')
    (tmp_path/'empty.wav').write_bytes(b'')
    with pytest.raises(Exception, match='empty file'):
        client.predict(handle_file(str(tmp_path/'empty.wav')), 'esc50', api_name='/analyze')
    assert client.predict(handle_file(str(dog_clip)), 'esc50', api_name='/predict')['label'] == 'dog'

def test_too_big_upload_is_refused(space_url, tmp_path):
    big = tmp_path/'big.wav'; big.write_bytes(b'RIFF' + os.urandom(11_000_000))
    with pytest.raises(Exception, match='(?i)file size|too large|exceeds'):
        Client(space_url, verbose=False).predict(handle_file(str(big)), 'esc50', api_name='/predict')
