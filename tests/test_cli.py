"The `sonicsight` command as a user runs it: a real process, real files, exit codes and output."
import json, re, subprocess, sys
from pathlib import Path
import pytest
from conftest import ROOT

SONICSIGHT = Path(sys.executable).parent/'sonicsight'

def run(*args, **kw):
    return subprocess.run([str(SONICSIGHT), *map(str, args)], capture_output=True, text=True, timeout=300, **kw)

def test_predict_json_lines_and_failures(dog_clip, tmp_path):
    (tmp_path/'notes.wav').write_text('this is not audio')
    empty = tmp_path/'empty.flac'; empty.write_bytes(b'')
    r = run('predict', dog_clip, tmp_path/'notes.wav', empty, '--json', '--top-k', '3')
    assert r.returncode == 1
    lines = [json.loads(l) for l in r.stdout.splitlines()]
    assert len(lines) == 1 and lines[0]['file'] == str(dog_clip)
    assert lines[0]['label'] == 'dog' and len(lines[0]['predictions']) == 3
    assert set(lines[0]['predictions'][0]) == {'class', 'confidence'}
    err = r.stderr.strip().splitlines()
    assert err == [f"sonicsight: {tmp_path/'notes.wav'}: not an audio file (unrecognised content)",
                   f"sonicsight: {empty}: empty file (0 bytes)"]

def test_predict_table_cats_dogs(dog_clip):
    r = run('predict', dog_clip, '--model', 'cats-dogs')
    assert r.returncode == 0 and r.stdout.splitlines()[0] == f'{dog_clip}: dog  (5.0 s)'

def test_analyze_writes_pngs(dog_clip, tmp_path):
    r = run('analyze', dog_clip, '--json', '--out', tmp_path/'viz')
    assert r.returncode == 0
    a = json.loads(r.stdout)
    assert a['predictions'][0]['class'] == 'dog'
    assert sorted(p.name for p in (tmp_path/'viz').iterdir()) == ['feature_maps.png', 'spectrogram.png', 'waveform.png']

def test_missing_model_is_one_clear_line(dog_clip):
    r = run('predict', dog_clip, '--model', 'no-such-model.pkl')
    assert r.returncode == 2 and r.stderr.count('\n') == 1 and 'not found' in r.stderr

def test_ensemble_weights_must_match_the_learners(tmp_path):
    r = run('ensemble', 'a.pkl', 'b.pkl', '--member-weights', '0.6', '--out', tmp_path/'ab.pkl')
    assert r.returncode == 2 and r.stderr == 'sonicsight: --member-weights: 1 weights for 2 learners\n'
    assert not (tmp_path/'ab.pkl').exists()

def test_input_scale_is_one_factor_or_frequency_and_time(tmp_path):
    r = run('train', 'esc50', '--input-scale', '2,0.5,1', '--out', tmp_path/'x.pkl')
    assert r.returncode == 2 and "'2,0.5,1': one positive factor, or two as FREQUENCY,TIME" in r.stderr
    assert not (tmp_path/'x.pkl').exists()

def test_zero_epochs_needs_weight_averaging(tmp_path):
    r = run('train', 'esc50', '--epochs', '0', '--out', tmp_path/'x.pkl')
    assert r.returncode == 2 and '--epochs 0 trains nothing: add --swa K' in r.stderr
    assert not (tmp_path/'x.pkl').exists()

def test_spectrograms_mirrors_labels_and_skips_up_to_date(esc50_dir, esc50_meta, tmp_path):
    src = tmp_path/'src'
    for cat in ('dog', 'rain'):
        (src/cat).mkdir(parents=True)
        for name in esc50_meta[esc50_meta.category==cat].filename[:3]:
            (src/cat/(Path(name).stem+'.flac')).symlink_to(esc50_dir/'audio'/(Path(name).stem+'.flac'))
    r = run('spectrograms', src, tmp_path/'png')
    assert r.returncode == 0 and '6 rendered (6 PNGs)' in r.stdout
    assert sorted(p.name for p in (tmp_path/'png').iterdir()) == ['dog', 'rain', 'sonicsight-audio.json']
    r = run('spectrograms', src, tmp_path/'png')
    assert '6 up to date' in r.stdout

def test_predict_runs_the_onnx_model_without_importing_torch(dog_clip):
    "The shipped models answer from their ONNX files: a cold `sonicsight predict` never imports torch or fastai"
    code = ("import sys; from sonicsight.cli import main; rc = main(['predict', sys.argv[1], '--json']); "
            "print(sorted(m for m in ('torch', 'fastai', 'torchvision') if m in sys.modules)); sys.exit(rc)")
    r = subprocess.run([sys.executable, '-c', code, str(dog_clip)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    out = r.stdout.splitlines()
    assert json.loads(out[0])['label'] == 'dog' and out[1] == '[]'

SLIM = '''
import sys, importlib.abc
class Leftout(importlib.abc.MetaPathFinder):
    "What `pip install sonicsight` (the core) does not install cannot be imported"
    def find_spec(self, name, path, target=None):
        if name.split('.')[0] in {'torch', 'torchvision', 'fastai', 'timm', 'pandas', 'matplotlib', 'gradio', 'onnx', 'fastprogress'}:
            raise ModuleNotFoundError(f'No module named {name!r}', name=name)
sys.meta_path.insert(0, Leftout())
from sonicsight.cli import main
sys.exit(main(sys.argv[1:]))
'''

def run_slim(*args):
    return subprocess.run([sys.executable, '-c', SLIM, *map(str, args)], capture_output=True, text=True, timeout=120)

def test_core_install_predicts_and_analyses_without_torch_pandas_or_matplotlib(dog_clip):
    r = run_slim('predict', dog_clip, '--json')
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)['label'] == 'dog'
    r = run_slim('analyze', dog_clip, '--json')
    assert r.returncode == 0 and json.loads(r.stdout)['class_activation']['class'] == 'dog'

def test_commands_that_need_an_extra_say_which(dog_clip, tmp_path):
    r = run_slim('analyze', dog_clip, '--out', tmp_path/'viz')
    assert r.returncode == 2 and "pip install 'sonicsight[viz]'" in r.stderr
    r = run_slim('evaluate', '--data', tmp_path)
    assert r.returncode == 2 and "pip install 'sonicsight[data]'" in r.stderr

def test_core_dependencies_leave_out_the_heavy_ones():
    import tomllib
    deps = tomllib.loads((ROOT/'pyproject.toml').read_text())['project']['dependencies']
    names = {re.split(r'[<>=\[ ]', d)[0].lower() for d in deps}
    assert 'onnxruntime' in names and not names & {'torch', 'torchvision', 'fastai', 'timm', 'pandas', 'matplotlib', 'gradio'}
