"`sonicsight train` unchanged under `torchrun`: two CPU processes (gloo) train one model, and only the main one writes."
import json, os, subprocess, sys
from pathlib import Path
import pytest, torch
from conftest import free_port

# The command line, untouched, plus a record of what each process ended with: its weights and how many clips it
# stepped on while its batches came through `DistributedDL`
SPY = '''
import os, sys, torch
import sonicsight.recipes as recipes
from fastai.callback.core import Callback
from fastai.distributed import DistributedDL
class Count(Callback):
    n = 0
    def after_batch(self):
        if self.training and isinstance(self.dl, DistributedDL): self.n += len(self.yb[0])
real, dest = recipes.train, sys.argv[1]
def spy(learn, **kw):
    learn.add_cb(count := Count())
    out = real(learn, **kw)
    torch.save({'state': learn.model.state_dict(), 'clips': count.n}, f"{dest}/rank{os.environ['RANK']}.pth")
    return out
recipes.train = spy
sys.argv = ['sonicsight', *sys.argv[2:]]
from sonicsight.cli import main
sys.exit(main())
'''

def test_two_processes_train_one_model_and_write_once(tiny_esc50, tmp_path):
    spy, ranks, out = tmp_path/'spy.py', tmp_path/'ranks', tmp_path/'model'/'tiny.pkl'
    spy.write_text(SPY); ranks.mkdir()
    env = {**os.environ, 'SONICSIGHT_CACHE': str(tmp_path/'cache')}
    def launch(*extra):
        return subprocess.run([sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node', '2', '--master_port', str(free_port()),
                               str(spy), str(ranks), 'train', 'esc50', '--arch', 'test_efficientnet', '--no-pretrained', '--bs', '4',
                               '--lr-find-iters', '5', '--workers', '0', '--valid', 'none', '--esc50', str(tiny_esc50),
                               '--run-dir', str(tmp_path/'run'), '--out', str(out), *extra], capture_output=True, text=True, env=env, timeout=600)
    r = launch('--epochs', '2')
    assert r.returncode == 0, r.stderr[-3000:]
    a, b = (torch.load(ranks/f'rank{i}.pth') for i in (0, 1))
    # one model: every weight and batch-norm statistic equal on both processes, because DDP trained them in step (with
    # `--valid none` the last epoch is kept: no process loads the main one's best checkpoint at the end, which would hide a drift)
    assert a['state'].keys() == b['state'].keys() and all(torch.equal(a['state'][k], b['state'][k]) for k in a['state'])
    card = json.loads(out.with_suffix('.json').read_text())
    assert (card['processes'], card['batch_size'], card['effective_batch_size'], card['epochs_run']) == (2, 4, 8, 2)
    # sharded: each process stepped on its own half of the training clips each epoch (full batches only, as fastai drops the last)
    half = (card['train_items']+1)//2
    assert a['clips'] == b['clips'] == card['epochs_run'] * (half//4*4) > 0
    # written once, by the main process: one export, one card (printed once), one log with one header, one lr_find
    assert sorted(p.name for p in out.parent.iterdir()) == ['tiny.json', 'tiny.onnx', 'tiny.pkl']
    assert r.stdout.count('"effective_batch_size"') == 1
    log = (tmp_path/'run'/'history.csv').read_text().splitlines()
    assert log[0].startswith('epoch,') and len(log) == 3
    assert (tmp_path/'run'/'lr_find.png').exists() and json.loads((tmp_path/'run'/'lr_find.json').read_text())['lr_used'] == card['lr']
    # the checkpoint, with each process's own random state (they draw different augmentations)
    assert sorted(p.name for p in (tmp_path/'run'/'models').iterdir()) == ['last-rng0.pth', 'last-rng1.pth', 'last.json', 'last.pth']
    # resumed under the launcher for a third epoch: each process takes its own random state back, and they still train one model
    r = launch('--epochs', '3', '--resume')
    assert r.returncode == 0 and 'not found' not in r.stderr, r.stderr[-3000:]  # `resume_from` warns when a random state is missing
    a, b = (torch.load(ranks/f'rank{i}.pth') for i in (0, 1))
    assert all(torch.equal(a['state'][k], b['state'][k]) for k in a['state'])
    assert json.loads(out.with_suffix('.json').read_text())['epochs_run'] == 3

# `DistillOffline` under the launcher: the teacher's rows must follow each process's own shard of the shuffled order.
# The teacher here knows every label (its row for a clip is that clip's label), so a row taken for the wrong clip shows.
SPY_ROWS = '''
import os, sys, torch, torch.nn.functional as F
import sonicsight.recipes as recipes, sonicsight.train as train
from fastai.callback.core import Callback
def labels(self):
    ds = self.dls.train_ds
    return F.one_hot(torch.tensor([int(ds[i][1]) for i in range(len(ds))]), self.dls.c).float()
train.DistillOffline.teacher_probs = labels
class Rows(Callback):
    order = -0.5  # after `DistillOffline` adds the rows, before MixUp mixes them
    batches = wrong = 0
    def before_batch(self):
        if self.training: self.batches += 1; self.wrong += int((self.yb[1].argmax(1) != self.yb[0]).sum())
real, dest = recipes.train, sys.argv[1]
def spy(learn, **kw):
    learn.add_cb(rows := Rows())
    out = real(learn, **kw)
    torch.save({'batches': rows.batches, 'wrong': rows.wrong}, f"{dest}/rank{os.environ['RANK']}.pth")
    return out
recipes.train = spy
sys.argv = ['sonicsight', *sys.argv[2:]]
from sonicsight.cli import main
sys.exit(main())
'''

def test_offline_teacher_rows_follow_each_process_shard(tiny_esc50, tmp_path):
    spy, ranks = tmp_path/'spy.py', tmp_path/'ranks'
    spy.write_text(SPY_ROWS); ranks.mkdir()
    env = {**os.environ, 'SONICSIGHT_CACHE': str(tmp_path/'cache')}
    common = ['train', 'esc50', '--arch', 'test_efficientnet', '--no-pretrained', '--bs', '4', '--lr', '1e-3', '--lr-find-iters', '0',
              '--workers', '0', '--valid', 'none', '--no-onnx', '--esc50', str(tiny_esc50)]
    teacher = tmp_path/'teacher'/'t.pkl'
    r = subprocess.run([str(Path(sys.executable).parent/'sonicsight'), *common, '--epochs', '1', '--run-dir', str(tmp_path/'t'), '--out', str(teacher)],
                       capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    r = subprocess.run([sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node', '2', '--master_port', str(free_port()),
                        str(spy), str(ranks), *common, '--epochs', '2', '--teacher', str(teacher), '--distil-offline',
                        '--run-dir', str(tmp_path/'run'), '--out', str(tmp_path/'student'/'s.pkl')], capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    a, b = (torch.load(ranks/f'rank{i}.pth') for i in (0, 1))
    assert a['batches'] == b['batches'] > 0 and a['wrong'] == b['wrong'] == 0
