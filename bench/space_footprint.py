"""What the Space installs and how long it takes to start, now and at a baseline revision, measured in the same run.

Install size: the dependency closure of the Space's requirements (its `requirements.txt` plus sonicsight's own
dependencies, with extras), summed over the files each installed distribution lists in its RECORD, read from
this environment (which has all of them installed). GPU-only packages (`nvidia-*`, `cuda-*`, `triton`) are left out, as the
Space's CPU hardware does not get them; torch counted here is this machine's build. sonicsight itself (its models
and clips) is left out of both. Start: `python app.py` from `space/` to the first HTTP 200, 3 runs each, alternating.

    python bench/space_footprint.py [--baseline 8f038fd]
"""
import argparse, os, re, socket, statistics, subprocess, sys, tempfile, time, tomllib, urllib.request
from importlib import metadata
from pathlib import Path
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
GPU_ONLY = re.compile(r'^(nvidia-.*|triton|cuda-.*)$')

def space_requirements(root:Path)->list[str]:
    "The Space's requirements at `root`: its requirements.txt (the wheel replaced by sonicsight's own dependencies and extras)"
    reqs, deps = [], tomllib.loads((root/'pyproject.toml').read_text())['project']
    for line in (root/'space'/'requirements.txt').read_text().splitlines():
        line = line.split('#')[0].strip()
        if not line or line.startswith('-'): continue
        if '.whl' in line:
            extras = re.findall(r'\[(.*)\]', line)
            reqs += deps['dependencies'] + [d for e in (extras[0].split(',') if extras else []) for d in deps['optional-dependencies'][e.strip()]]
        else: reqs.append(line)
    return reqs

def closure_size(reqs:list[str])->tuple[int, dict]:
    "Bytes on disk of every installed distribution the requirements pull in, and the ten largest"
    todo, seen, sizes = [Requirement(r) for r in reqs], set(), {}
    while todo:
        r = todo.pop(); name = canonicalize_name(r.name)
        if name == 'sonicsight':
            todo += [Requirement(d) for e in r.extras for d in tomllib.loads((ROOT/'pyproject.toml').read_text())['project']['optional-dependencies'][e]]; continue
        if GPU_ONLY.match(name) or (name, frozenset(r.extras)) in seen: continue
        seen.add((name, frozenset(r.extras)))
        dist = metadata.distribution(name)
        sizes[name] = sum(f.size or 0 for f in dist.files or [])
        for q in map(Requirement, dist.requires or []):
            if q.marker is None or any(q.marker.evaluate({'extra': e}) for e in (r.extras or {''})): todo.append(q)
    return sum(sizes.values()), dict(sorted(sizes.items(), key=lambda kv: -kv[1])[:10])

def start_seconds(root:Path)->float:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]
    env = {**os.environ, 'PYTHONPATH': str(root), 'GRADIO_SERVER_PORT': str(port), 'GRADIO_ANALYTICS_ENABLED': 'False'}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, 'app.py'], cwd=root/'space', env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try: urllib.request.urlopen(f'http://127.0.0.1:{port}/', timeout=2); return time.perf_counter()-t0
            except OSError: time.sleep(0.1)
    finally: proc.terminate(); proc.wait(30)

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0]); p.add_argument('--baseline', default='8f038fd')
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as d:
        base = Path(d)/'baseline'
        subprocess.run(['git', 'worktree', 'add', '--detach', str(base), args.baseline], cwd=ROOT, check=True, capture_output=True)
        try:
            for label, root in (('baseline ' + args.baseline, base), ('now', ROOT)):
                total, top = closure_size(space_requirements(root))
                print(f"{label:<18} install {total/2**20:8.0f} MiB  largest: " + ', '.join(f'{k} {v/2**20:.0f}' for k, v in top.items()))
            starts = {'baseline': [], 'now': []}
            for _ in range(3):
                starts['baseline'].append(start_seconds(base)); starts['now'].append(start_seconds(ROOT))
            for k, v in starts.items(): print(f"{k:<18} start to first page: median {statistics.median(v):.2f} s ({', '.join(f'{x:.2f}' for x in v)})")
        finally: subprocess.run(['git', 'worktree', 'remove', '--force', str(base)], cwd=ROOT, check=True)
