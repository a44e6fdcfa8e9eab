"Shared fixtures: the real datasets in ../shared/data (or $SONICSIGHT_DATA) and the shipped models."
import os, socket, subprocess, sys, time, urllib.request
from pathlib import Path
import pandas as pd, pytest
from sonicsight.data import data_root

ROOT = Path(__file__).resolve().parents[1]

def _need(path:Path)->Path:
    if path.exists(): return path
    if os.environ.get('CI'): pytest.fail(f"{path} is missing: CI runs with ../shared/data beside the checkout")
    pytest.skip(f"{path} not present: set SONICSIGHT_DATA to the folder holding esc50/ and cats_dogs/")

@pytest.fixture(scope='session')
def esc50_dir(): return _need(data_root()/'esc50')

@pytest.fixture(scope='session')
def cats_dogs_dir(): return _need(data_root()/'cats_dogs')

@pytest.fixture(scope='session')
def esc50_meta(esc50_dir): return pd.read_csv(esc50_dir/'meta'/'esc50.csv')

@pytest.fixture(scope='session')
def tiny_esc50(esc50_dir, tmp_path_factory):
    "Three classes, folds 1-2 for training and fold 5 for testing, linked from the real copy"
    root = tmp_path_factory.mktemp('data')/'esc50'; (root/'audio').mkdir(parents=True); (root/'meta').mkdir()
    meta = pd.read_csv(esc50_dir/'meta'/'esc50.csv')
    meta = meta[meta.category.isin(['dog', 'rain', 'church_bells']) & meta.fold.isin([1, 2, 5])].groupby(['category', 'fold']).head(4)
    for f in meta.filename: (root/'audio'/(Path(f).stem+'.flac')).symlink_to(esc50_dir/'audio'/(Path(f).stem+'.flac'))
    meta.to_csv(root/'meta'/'esc50.csv', index=False)
    return root

def esc50_clip(esc50_dir, meta, category, fold=5, i=0)->Path:
    "The i-th clip of `category` in `fold`"
    name = meta[(meta.category==category) & (meta.fold==fold)].filename.iloc[i]
    return esc50_dir/'audio'/(Path(name).stem + '.flac')

@pytest.fixture(scope='session')
def dog_clip():
    "The bundled dog example (ESC-50 5-203128-A-0, CC0 source): tests that need one real clip run without ../shared"
    from sonicsight.inference import example_clips
    return example_clips()['dog']

def free_port()->int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def wait_http(url, proc, timeout=180):
    "Wait until `url` answers, failing early if `proc` exits"
    t0 = time.time()
    while time.time()-t0 < timeout:
        if proc.poll() is not None: raise RuntimeError(f"server exited: {proc.stdout.read()[-3000:]}")
        try: urllib.request.urlopen(url, timeout=2); return
        except OSError: time.sleep(0.5)
    raise TimeoutError(url)

def start_space(port):
    "`python app.py` from inside space/, as a Hugging Face Space runs it"
    env = {**os.environ, 'GRADIO_SERVER_PORT': str(port), 'GRADIO_ANALYTICS_ENABLED': 'False'}
    proc = subprocess.Popen([sys.executable, 'app.py'], cwd=ROOT/'space', env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wait_http(f'http://127.0.0.1:{port}/', proc)
    return proc

@pytest.fixture(scope='session')
def space_url():
    "A real SonicSight Space on a free local port for the whole test session"
    port = free_port(); proc = start_space(port)
    yield f'http://127.0.0.1:{port}/'
    proc.terminate(); proc.wait(30)
