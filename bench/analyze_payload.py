"""Bytes a user waits for: the `/analyze` JSON (compact, as Gradio sends it, and gzipped) and the Pi site's HTML fragment,
for a 5 s ESC-50 clip and an 18 s cat recording, against a baseline revision measured in the same run.

    python bench/analyze_payload.py [--baseline REV]    # REV defaults to 8f038fd, the last commit before the cut

The baseline is checked out with `git worktree` into a temporary folder and measured by this same script there.
"""
import argparse, gzip, importlib.util, json, os, subprocess, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLIPS = {'5 s dog (ESC-50 fold 5)': 'esc50/audio/5-203128-A-0.flac', '18 s cat (Audio Cats and Dogs)': 'cats_dogs/audio/cat_112.flac'}

def measure(root:Path, data:Path)->dict:
    "Sizes in bytes for each clip with the `esc50` model, using the code and models under `root`"
    sys.path.insert(0, str(root))
    import sonicsight
    from sonicsight.inference import load_model
    assert Path(sonicsight.__file__).is_relative_to(root), f'measuring {sonicsight.__file__}, not the code under {root}'
    spec = importlib.util.spec_from_file_location('frontend_main', root/'frontend'/'main.py')
    fe = importlib.util.module_from_spec(spec); spec.loader.exec_module(fe)
    clf, out = load_model('esc50'), {}
    for name, rel in CLIPS.items():
        a = clf.analyze(data/rel)
        body = json.dumps(a, separators=(',', ':')).encode()
        out[name] = {'json': len(body), 'json_gzip': len(gzip.compress(body)), 'pi_fragment': len(fe.to_xml(fe.result_view(a, 'esc50')).encode())}
    return out

def baseline(rev:str, data:Path)->dict:
    with tempfile.TemporaryDirectory() as d:
        wt = Path(d)/'baseline'
        subprocess.run(['git', 'worktree', 'add', '--detach', str(wt), rev], cwd=ROOT, check=True, capture_output=True)
        try:
            env = {**os.environ, 'PYTHONPATH': str(wt)}
            res = subprocess.run([sys.executable, __file__, '--root', str(wt), '--data', str(data), '--json'], env=env,
                                 capture_output=True, text=True, check=True)
            return json.loads(res.stdout.strip().splitlines()[-1])
        finally: subprocess.run(['git', 'worktree', 'remove', '--force', str(wt)], cwd=ROOT, check=True)

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--baseline', default='8f038fd'); p.add_argument('--root', default=str(ROOT))
    p.add_argument('--data', default=os.environ.get('SONICSIGHT_DATA', str(ROOT.parent/'shared'/'data')))
    p.add_argument('--json', action='store_true', help='print this tree\'s sizes as one JSON line, no baseline')
    args = p.parse_args()
    now = measure(Path(args.root), Path(args.data))
    if args.json: print(json.dumps(now)); sys.exit()
    before = baseline(args.baseline, Path(args.data))
    print(f"{'clip':<32}{'what':<13}{'before':>10}{'now':>10}{'ratio':>8}")
    for clip in CLIPS:
        for k in ('json', 'json_gzip', 'pi_fragment'):
            b, n = before[clip][k], now[clip][k]
            print(f"{clip:<32}{k:<13}{b:>10,}{n:>10,}{b/n:>7.1f}x")
