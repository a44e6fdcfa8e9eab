"Debian's nginx on loopback with the frontend's own body-size include, in front of the real frontend app."
import os, shutil, subprocess, sys, time, urllib.request, urllib.error
from pathlib import Path
import pytest
from conftest import ROOT, free_port, wait_http

NGINX = shutil.which('nginx') or '/usr/sbin/nginx'
pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason='nginx not installed (scripts/system-deps installs it)')

@pytest.fixture(scope='module')
def site(tmp_path_factory):
    d = tmp_path_factory.mktemp('nginx'); app_port, port = free_port(), free_port()
    app = subprocess.Popen([sys.executable, '-m', 'uvicorn', 'main:app', '--host', '127.0.0.1', '--port', str(app_port)],
                           cwd=ROOT/'frontend', env={**os.environ, 'SONICSIGHT_SPACE': f'http://127.0.0.1:{free_port()}/'},
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    (d/'nginx.conf').write_text(f"""{'user root;' if os.geteuid()==0 else ''}
pid {d}/nginx.pid; error_log {d}/error.log; daemon off; worker_processes 1;
events {{ worker_connections 64; }}
http {{
  access_log off; client_body_temp_path {d}/body; proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fcgi; uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
  server {{
    listen 127.0.0.1:{port};
    include {ROOT/'frontend'/'nginx-limits.conf'};
    location / {{ proxy_pass http://127.0.0.1:{app_port}; proxy_set_header Host $host; }}
  }}
}}""")
    ngx = subprocess.Popen([NGINX, '-c', str(d/'nginx.conf'), '-p', str(d)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_http(f'http://127.0.0.1:{app_port}/health', app, 60)
        wait_http(f'http://127.0.0.1:{port}/health', ngx, 30)
        yield f'http://127.0.0.1:{port}'
    finally:
        ngx.terminate(); app.terminate(); ngx.wait(10); app.wait(10)

def upload(url, n_bytes):
    boundary = 'sonicsightboundary'
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nesc50\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="audio"; filename="big.wav"\r\nContent-Type: audio/wav\r\n\r\n').encode()
    body += b'\x89PNG' + bytes(n_bytes - 4) + f'\r\n--{boundary}--\r\n'.encode()
    req = urllib.request.Request(f'{url}/analyze', data=body, headers={'Content-Type': f'multipart/form-data; boundary={boundary}'})
    try: r = urllib.request.urlopen(req, timeout=60); return r.status, r.read().decode()
    except urllib.error.HTTPError as e: return e.code, e.read().decode()

def test_9mb_upload_reaches_the_app(site):
    status, text = upload(site, 9_000_000)
    assert status == 415 and 'not an audio file we can read' in text  # the app's answer: nginx let it through

def test_11mb_upload_gets_a_readable_page_from_nginx(site):
    status, text = upload(site, 11_000_000)
    assert status == 413 and 'That file is too big' in text and 'Back to SonicSight' in text
