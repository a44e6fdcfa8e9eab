"Whole archives: `sonicsight predict FOLDER --out` with worker processes and resume, and the same unit of work on a Dask cluster."
import json, shutil, subprocess, sys
from pathlib import Path
import pytest
from sonicsight.inference import example_clips
from sonicsight.archive import audio_files, predict_file, predict_stream

SONICSIGHT = Path(sys.executable).parent/'sonicsight'

@pytest.fixture()
def archive(tmp_path):
    "Nested folders of the bundled clips, a long recording and a file that is not audio"
    for i, (name, clip) in enumerate(example_clips().items()):
        d = tmp_path/'archive'/f'day{i%3}'/('deep' if i%2 else ''); d.mkdir(parents=True, exist_ok=True)
        shutil.copy(clip, d/clip.name)
    (tmp_path/'archive'/'day0'/'broken.wav').write_bytes(b'RIFF\0\0\0\0WAVEjunk' + bytes(100))
    return tmp_path/'archive'

def run(*args): return subprocess.run([str(SONICSIGHT), *map(str, args)], capture_output=True, text=True, timeout=600)

def test_folder_to_jsonl_with_workers_then_resume(archive, tmp_path):
    out = tmp_path/'answers.jsonl'
    n = len(example_clips()) + 1  # the clips and the broken file
    r = run('predict', archive, '--out', out, '--workers', '2')
    assert r.returncode == 1 and f'{n} files done (1 could not be read), 0 already in' in r.stderr
    rows = [json.loads(l) for l in out.read_text().splitlines()]
    assert sorted(r['file'] for r in rows) == sorted(map(str, audio_files(archive)))
    by_name = {Path(r['file']).name: r for r in rows}
    assert by_name['dog.flac']['label'] == 'dog' and by_name['broken.wav']['error'].startswith('truncated or corrupt')
    assert [w['label'] for w in by_name['rain-dog-rooster.flac']['timeline']] == ['rain', 'dog', 'dog', 'dog', 'rooster']
    r = run('predict', archive, '--out', out)
    assert f'0 files done (0 could not be read), {n} already in' in r.stderr and len(out.read_text().splitlines()) == n
    r = run('predict', archive, '--out', out, '--overwrite', '--workers', '2')
    assert f'{n} files done' in r.stderr and len(out.read_text().splitlines()) == n

def test_the_unit_of_work_runs_on_a_dask_cluster(archive):
    distributed = pytest.importorskip('distributed')
    paths = list(audio_files(archive))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        futures = client.map(predict_file, paths, model='esc50')
        on_dask = sorted((f.result() for f in distributed.as_completed(futures)), key=lambda r: r['file'])
    assert on_dask == sorted(predict_stream(paths), key=lambda r: r['file'])
