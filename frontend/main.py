"""SonicSight frontend: a small FastHTML site for a Raspberry Pi that asks the SonicSight Space what a sound is.

Run `uvicorn main:app` (what the Procfile does) or `python main.py` for development.
No torch here: the Space does the thinking and is reached only through `gradio_client`.
"""
import asyncio, base64, io, os, tempfile, threading
from concurrent.futures import TimeoutError as FutureTimeout
import numpy as np
from PIL import Image
from fasthtml.common import *
from fasthtml.svg import Svg, Polyline
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse

SPACE = os.environ.get('SONICSIGHT_SPACE', 'http://127.0.0.1:7860')  # a Space id (user/name) or a URL
HF_TOKEN = os.environ.get('HF_TOKEN') or None
TIMEOUT = float(os.environ.get('SONICSIGHT_TIMEOUT', 60))  # seconds to wait for the Space
# signs session cookies: from the environment (`piku config:set`), else made at first start into .sesskey, which git ignores
SESSION_KEY = os.environ.get('SONICSIGHT_SESSION_KEY') or None
MAX_BYTES = 10*1024*1024
MODELS = {'esc50': 'ESC-50: 50 everyday sounds', 'cats-dogs': 'Cats vs dogs'}

# Container signatures of what the Space can decode; the suffix is ours, never the client's file name.
SIGNATURES = [(0, b'RIFF', 8, b'WAVE', '.wav'), (0, b'fLaC', 0, b'', '.flac'), (0, b'OggS', 0, b'', '.ogg'),
              (0, b'ID3', 0, b'', '.mp3'), (4, b'ftyp', 0, b'', '.m4a'), (0, b'\x1aE\xdf\xa3', 0, b'', '.webm'),
              (0, b'FORM', 8, b'AIFF', '.aiff')]

def audio_suffix(head:bytes):
    "File suffix for audio recognised by its first bytes, or None"
    for off, magic, off2, magic2, suffix in SIGNATURES:
        if head[off:off+len(magic)] == magic and head[off2:off2+len(magic2)] == magic2: return suffix
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0: return '.mp3'  # MPEG frame sync
    return None


class BodyLimit:
    "ASGI middleware: refuse request bodies over `limit` bytes, counted as they stream in (chunked uploads too)"
    def __init__(self, app, limit:int): self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope['type'] != 'http': return await self.app(scope, receive, send)
        declared = dict(scope['headers']).get(b'content-length')
        if declared is not None and int(declared) > self.limit + 64*1024:
            return await too_big_response(scope)(scope, receive, send)
        seen, started = 0, False
        async def counted():
            nonlocal seen
            msg = await receive()
            seen += len(msg.get('body', b''))
            if seen > self.limit + 64*1024: raise BodyTooLarge()
            return msg
        async def tracking_send(msg):
            nonlocal started
            started = started or msg['type'] == 'http.response.start'
            await send(msg)
        try: await self.app(scope, counted, tracking_send)
        except BodyTooLarge:
            if not started: await too_big_response(scope)(scope, receive, send)

class BodyTooLarge(Exception): pass

def too_big_response(scope):
    hx = dict(scope['headers']).get(b'hx-request') == b'true'
    frag = problem(f"That file is too big: the limit is {MAX_BYTES//(1024*1024)} MB.")
    if hx: return HTMLResponse(to_xml(frag))
    # raised before routing, so there is no FastHTML request to render the usual page with: a minimal whole page
    return HTMLResponse('<!doctype html>' + to_xml(Html(Head(Title('SonicSight'), STYLE), Body(Main(*page(frag)[1:], cls='container')))), status_code=413)


STYLE = Style('''.bar{background:var(--pico-primary-background,#1e88e5);height:1.1rem;border-radius:3px}
.row{display:grid;grid-template-columns:9rem 1fr 3.5rem;gap:.5rem;align-items:center;margin:.2rem 0}
img.viz{width:100%;image-rendering:pixelated;border-radius:4px}
.maps{display:grid;grid-template-columns:repeat(auto-fit,minmax(8rem,1fr));gap:.5rem}
.problem{border-left:4px solid #c62828;padding:.5rem 1rem}
.htmx-indicator{display:none}.htmx-request .htmx-indicator,.htmx-request.htmx-indicator{display:block}''')

app, rt = fast_app(title='SonicSight', pico=True, secret_key=SESSION_KEY, middleware=[Middleware(BodyLimit, limit=MAX_BYTES)], hdrs=(STYLE,))


_client, _client_lock = None, threading.Lock()

def space_client():
    "The one gradio_client.Client, created on first use and reused"
    global _client
    with _client_lock:
        if _client is None:
            from gradio_client import Client
            _client = Client(SPACE, token=HF_TOKEN, verbose=False, httpx_kwargs={'timeout': TIMEOUT})
        return _client

def reset_client():
    global _client
    with _client_lock: _client = None


class SpaceUnavailable(Exception): pass
class SpaceSlow(Exception): pass
class SpaceRefused(Exception): pass

def ask_space(path:str, model:str)->dict:
    "The Space's /analyze answer for an audio file on disk"
    from gradio_client import handle_file
    try: job = space_client().submit(handle_file(path), model, api_name='/analyze')
    except Exception as e:
        reset_client(); raise SpaceUnavailable(str(e)) from None
    try: return job.result(timeout=TIMEOUT)
    except FutureTimeout: job.cancel(); raise SpaceSlow() from None
    except Exception as e:
        from gradio_client.exceptions import AppError
        if isinstance(e, AppError): raise SpaceRefused(str(e)) from None
        reset_client(); raise SpaceUnavailable(str(e)) from None


# Rendering the analysis
VIRIDIS = np.array([[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]], float)
MAGMA = np.array([[0, 0, 4], [81, 18, 124], [183, 55, 121], [252, 137, 97], [252, 253, 191]], float)

def png_uri(values, lut=MAGMA, flip=True)->str:
    "A data: URI of a 2-D array drawn through a colour ramp (low rows at the bottom)"
    a = np.asarray(values, float)
    a = (a - a.min()) / (np.ptp(a) or 1)
    pos = a*(len(lut)-1); i = np.minimum(pos.astype(int), len(lut)-2); f = (pos-i)[..., None]
    rgb = (lut[i]*(1-f) + lut[i+1]*f).astype(np.uint8)
    buf = io.BytesIO(); Image.fromarray(rgb[::-1] if flip else rgb).save(buf, format='PNG')
    return 'data:image/png;base64,' + base64.b64encode(buf.getvalue()).decode()

def waveform_svg(values, duration:float):
    v = np.asarray(values, float); x = np.linspace(0, 1000, len(v)) if len(v) > 1 else np.zeros(1)
    pts = ' '.join(f'{a:.1f},{50-48*b:.1f}' for a, b in zip(x, v))
    return Svg(Polyline(points=pts, fill='none', stroke='currentColor', stroke_width='1'),
               viewBox='0 0 1000 100', preserveAspectRatio='none', style='width:100%;height:6rem',
               role='img', aria_label=f'waveform, {duration:.1f} s')

def result_view(a:dict, model:str):
    top = a['predictions'][0]
    if a['label'] == 'uncertain':
        head = Hgroup(H2('Not sure'), P(f"None of the known sounds fits well. Closest: {top['class'].replace('_', ' ')} "
                                          f"({100*top['confidence']:.0f} %)"), id='verdict')
    else: head = Hgroup(H2(f"{a['label'].replace('_', ' ')}"), P(f"{100*top['confidence']:.0f} % confident ({MODELS[model]})"), id='verdict')
    bars = [Div(Span(p['class'].replace('_', ' ')), Div(Div(cls='bar', style=f"width:{100*p['confidence']:.1f}%")),
                Span(f"{100*p['confidence']:.0f} %"), cls='row') for p in a['predictions']]
    w = a['waveform']
    maps = [Figure(Img(src=png_uri(v['values'], VIRIDIS), cls='viz', alt=f'{n} feature map'), Figcaption(f"{n} {v['shape'][0]}×{v['shape'][1]}"))
            for n, v in a['visualization'].items()]
    return Article(head, H4('Top 5'), *bars,
                   H4('Spectrogram the model saw'),
                   Img(src=png_uri(a['input_spectrogram']['values']), cls='viz', id='spectrogram', alt='mel spectrogram'),
                   H4('Waveform'), waveform_svg(w['values'], w['duration']),
                   H4('Inside the network'), Div(*maps, cls='maps'), id='analysis')

def problem(msg:str): return Article(P(msg), cls='problem', id='problem', role='alert')


def upload_form():
    return Form(
        Label('Audio file', Input(type='file', name='audio', id='audio', accept='audio/*', required=True)),
        Audio(id='preview', controls=True, style='width:100%;display:none'),
        Div(Button('Record', type='button', id='rec', cls='secondary', style='display:none'), Small(id='rec-status')),
        Fieldset(Legend('Model'), *[Label(Input(type='radio', name='model', value=k, checked=k == 'esc50'), v) for k, v in MODELS.items()]),
        Button('Analyze', type='submit', id='analyze'),
        Progress(cls='htmx-indicator', id='busy'),
        action='/analyze', method='post', enctype='multipart/form-data',
        hx_post='/analyze', hx_target='#result', hx_encoding='multipart/form-data', hx_indicator='#busy')

PREVIEW_JS = Script('''
const input = document.getElementById('audio'), player = document.getElementById('preview');
function preview(file){ player.src = URL.createObjectURL(file); player.style.display = 'block'; }
input.addEventListener('change', () => input.files[0] && preview(input.files[0]));
const rec = document.getElementById('rec'), status = document.getElementById('rec-status');
if (navigator.mediaDevices && window.MediaRecorder) {
  rec.style.display = 'inline-block'; let recorder = null;
  rec.onclick = async () => {
    if (recorder) { recorder.stop(); return; }
    const stream = await navigator.mediaDevices.getUserMedia({audio: true}), chunks = [];
    recorder = new MediaRecorder(stream);
    recorder.ondataavailable = e => chunks.push(e.data);
    recorder.onstop = () => {
      const blob = new Blob(chunks, {type: recorder.mimeType}), dt = new DataTransfer();
      dt.items.add(new File([blob], 'recording', {type: blob.type})); input.files = dt.files; preview(blob);
      stream.getTracks().forEach(t => t.stop()); recorder = null; rec.textContent = 'Record'; status.textContent = 'recorded';
    };
    recorder.start(); rec.textContent = 'Stop'; status.textContent = 'recording…';
  };
}''')

def page(*result):
    return (Title('SonicSight'),
            Main(Hgroup(H1('SonicSight'), P('Drop a sound, learn what it is.')), upload_form(),
                 Div(*result, id='result', aria_live='polite'),
                 Footer(Small('Models trained on ESC-50 (K. J. Piczak, CC BY-NC 3.0) and Audio Cats and Dogs.')),
                 PREVIEW_JS, cls='container'))


@rt('/')
def get(): return page()

@rt('/health')
def health(): return 'ok'

async def read_capped(upload, limit:int=MAX_BYTES):
    "The upload's bytes, or None when it is larger than `limit`"
    data = bytearray()
    while chunk := await upload.read(1 << 16):
        data += chunk
        if len(data) > limit: return None
    return bytes(data)

@rt('/analyze')
async def post(req, audio: UploadFile = None, model: str = 'esc50'):
    hx = req.headers.get('HX-Request') == 'true'
    def answer(frag, status=200): return frag if hx else FtResponse(page(frag), status_code=status)
    if model not in MODELS: return answer(problem('Choose one of the models.'), 400)
    if audio is None or not getattr(audio, 'filename', None): return answer(problem('Choose an audio file first.'), 400)
    data = await read_capped(audio)
    if data is None: return answer(problem(f'That file is too big: the limit is {MAX_BYTES//(1024*1024)} MB.'), 413)
    if not data: return answer(problem('That file is empty.'), 400)
    suffix = audio_suffix(data[:64])
    if suffix is None: return answer(problem('That is not an audio file we can read (WAV, FLAC, OGG, MP3, M4A or WebM).'), 415)
    with tempfile.TemporaryDirectory(prefix='sonicsight-') as d:
        path = os.path.join(d, 'upload' + suffix)
        with open(path, 'wb') as f: f.write(data)
        try: a = await asyncio.to_thread(ask_space, path, model)
        except SpaceUnavailable: return answer(problem('The SonicSight service is unavailable right now. Please try again in a minute.'), 503)
        except SpaceSlow: return answer(problem(f'The SonicSight service did not answer within {TIMEOUT:.0f} s. Please try again.'), 504)
        except SpaceRefused as e: return answer(problem(str(e) or 'The service could not analyse that file.'), 422)
    return answer(result_view(a, model))


if __name__ == '__main__':
    import uvicorn
    uvicorn.run('main:app', host=os.environ.get('BIND_ADDRESS', '127.0.0.1'), port=int(os.environ.get('PORT', 5001)), reload=True)
