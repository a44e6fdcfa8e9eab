"""Load on the local Space: 8 concurrent gradio_client clients x 25 /predict requests of real ESC-50 clips.

Starts `space/app.py` on a free loopback port (or uses --url), counts errors and prints p50/p95 latency.

    python bench/space_load.py [--clients 8] [--requests 25] [--url http://127.0.0.1:7860/]
"""
import argparse, os, socket, statistics, subprocess, sys, time, urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from gradio_client import Client, handle_file
from sonicsight.data import esc50_items

ROOT = Path(__file__).resolve().parents[1]

def start_local():
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, 'app.py'], cwd=ROOT/'space', env={**os.environ, 'GRADIO_SERVER_PORT': str(port)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f'http://127.0.0.1:{port}/'
    for _ in range(360):
        try: urllib.request.urlopen(url, timeout=2); return proc, url
        except OSError: time.sleep(0.5)
    raise TimeoutError(url)

def worker(url, clips, n):
    c = Client(url, verbose=False); lat, errors = [], 0
    for i in range(n):
        t = time.perf_counter()
        try: c.predict(handle_file(str(clips[i % len(clips)])), 'esc50', api_name='/predict')
        except Exception: errors += 1
        lat.append(time.perf_counter()-t)
    return lat, errors

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--clients', type=int, default=8); ap.add_argument('--requests', type=int, default=25)
    ap.add_argument('--url'); args = ap.parse_args()
    proc, url = (None, args.url) if args.url else start_local()
    clips = list(esc50_items().path.iloc[::13])
    try:
        t = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as ex:
            res = list(ex.map(lambda k: worker(url, clips[k::args.clients], args.requests), range(args.clients)))
        wall = time.perf_counter()-t
    finally:
        if proc: proc.terminate()
    lat = sorted(l for r in res for l in r[0]); errors = sum(r[1] for r in res)
    p = lambda q: 1000*lat[min(len(lat)-1, int(q*len(lat)))]
    print(f"{args.clients} clients x {args.requests} requests = {len(lat)} requests in {wall:.1f} s ({len(lat)/wall:.1f} req/s)")
    print(f"errors: {errors}")
    print(f"latency p50 {p(0.5):.0f} ms, p95 {p(0.95):.0f} ms, max {1000*lat[-1]:.0f} ms")
