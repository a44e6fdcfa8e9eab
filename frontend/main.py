"""SonicSight frontend: a small FastHTML site for a Raspberry Pi that asks the SonicSight Space what a sound is.

Run `uvicorn main:app` (what the Procfile does) or `python main.py` for development.
No torch here: the Space does the thinking and is reached only through `gradio_client`. When the sonicsight core is
installed too (onnxruntime, no torch), the site answers on this device while the Space sleeps (`SONICSIGHT_LOCAL`).
"""
import asyncio, base64, io, logging, os, tempfile, threading
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
import numpy as np
from PIL import Image
from fasthtml.common import *
from fasthtml.svg import Svg, Polyline, Rect
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

SPACE = os.environ.get('SONICSIGHT_SPACE', 'http://127.0.0.1:7860')  # a Space id (user/name) or a URL
HF_TOKEN = os.environ.get('HF_TOKEN') or None
TIMEOUT = float(os.environ.get('SONICSIGHT_TIMEOUT', 60))  # seconds to wait for the Space
# signs session cookies: from the environment (`piku config:set`), else made at first start into .sesskey, which git ignores
SESSION_KEY = os.environ.get('SONICSIGHT_SESSION_KEY') or None
# auto: answer on this device when the Space has not answered within LOCAL_AFTER seconds (needs the sonicsight core);
# never: only the Space; always: only this device
LOCAL = os.environ.get('SONICSIGHT_LOCAL', 'auto').strip().lower()
LOCAL_AFTER = float(os.environ.get('SONICSIGHT_LOCAL_AFTER', 8))
if LOCAL not in ('auto', 'never', 'always'): raise ValueError(f'SONICSIGHT_LOCAL={LOCAL!r}: use auto, never or always')
MAX_BYTES = 10*1024*1024
MODELS = {'esc50': 'ESC-50: 50 everyday sounds', 'cats-dogs': 'Cats vs dogs'}
# the Space's bundled example clips (its `/analyze_example`); tests check this list against the Space's own
EXAMPLES = ('dog', 'crying baby', 'rooster', 'rain', 'sea waves', 'crackling fire', 'helicopter and dog', 'rain, dog, rooster')
EXAMPLES_LICENCE = 'ESC-10 clips of ESC-50 (K. J. Piczak, CC BY 3.0; sources on Freesound), analysed by the Space.'
STATIC = Path(__file__).resolve().parent/'static'
ASSETS = ('pico-2.1.1.min.css', 'htmx-2.0.7.min.js')  # pinned copies with their licences: no CDN (see static/README.md)
log = logging.getLogger('sonicsight.frontend')

# Container signatures of what the Space can decode, as `sonicsight.audio.sniff_format` reads them (a test keeps the two
# in step); the suffix is ours, never the client's file name.
SIGNATURES = [(0, b'RIFF', 8, b'WAVE', '.wav'), (0, b'RF64', 8, b'WAVE', '.wav'), (0, b'FORM', 0, b'', '.aiff'),
              (0, b'fLaC', 0, b'', '.flac'), (0, b'OggS', 0, b'', '.ogg'), (0, b'ID3', 0, b'', '.mp3'),
              (0, b'\x1aE\xdf\xa3', 0, b'', '.webm'), (0, b'.snd', 0, b'', '.au'), (4, b'ftyp', 0, b'', '.m4a')]

def audio_suffix(head:bytes):
    "File suffix for audio recognised by its first bytes, or None"
    for off, magic, off2, magic2, suffix in SIGNATURES:
        if head[off:off+len(magic)] == magic and head[off2:off2+len(magic2)] == magic2: return suffix
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0: return '.aac'  # ADTS frame sync
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
    return HTMLResponse('<!doctype html>' + to_xml(Html(Head(Title('SonicSight'), *HEADERS), Body(Main(*page(frag)[1:], cls='container')))), status_code=413)


STYLE = Style('''.bar{background:var(--pico-primary-background,#1e88e5);height:1.1rem;border-radius:3px}
.row{display:grid;grid-template-columns:minmax(6rem,9rem) 1fr 3.5rem;gap:.5rem;align-items:center;margin:.2rem 0}
.row.uncertain .bar{opacity:.4}
.plot{display:grid;grid-template-columns:3.6rem 1fr;margin:0}
.yaxis,.xaxis{position:relative;font-size:.75rem;color:var(--pico-muted-color,#666)}
.yaxis span{position:absolute;right:.35rem;transform:translateY(50%);white-space:nowrap}
.xaxis{height:1.3rem;grid-column:2}.xaxis span{position:absolute;top:.1rem;transform:translateX(-50%);white-space:nowrap}
.stack{position:relative}.stack img{display:block;width:100%;height:13rem;border-radius:4px}
img.viz{image-rendering:pixelated;width:100%}
img.cam{position:absolute;inset:0;image-rendering:auto;pointer-events:none}
.maps{display:grid;grid-template-columns:repeat(auto-fit,minmax(8rem,1fr));gap:.5rem}
.maps img{height:5rem}
.examples{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin-bottom:.3rem}.examples button{width:auto;padding:.25rem .7rem;font-size:.9rem;margin:0}
figcaption,.note{font-size:.85rem;color:var(--pico-muted-color,#666)}
.problem{border-left:4px solid #c62828;padding:.5rem 1rem}
.htmx-indicator{display:none}.htmx-request .htmx-indicator,.htmx-request.htmx-indicator{display:block}''')

HEADERS = (Meta(charset='utf-8'), Meta(name='viewport', content='width=device-width, initial-scale=1'),
           Link(rel='stylesheet', href=f'/static/{ASSETS[0]}'), Script(src=f'/static/{ASSETS[1]}'), STYLE)

app, rt = fast_app(title='SonicSight', default_hdrs=False, pico=False, secret_key=SESSION_KEY,
                   middleware=[Middleware(BodyLimit, limit=MAX_BYTES)], hdrs=HEADERS)
# FastHTML adds a catch-all route serving any file with a "static" extension from the working directory, which on
# the Pi is this folder (cloudflared-config.yml, requirements.txt): drop it and serve static/ alone, under /static/
app.routes[:] = [r for r in app.routes if '{ext:static}' not in getattr(r, 'path', '')]
app.routes.insert(0, Mount('/static', StaticFiles(directory=STATIC), name='static'))

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

def ask_space(path:str|None, model:str, example:str|None=None)->dict:
    "The Space's analysis of an audio file on disk, or of one of its bundled `example`s"
    from gradio_client import handle_file
    args, api = ((example, model), '/analyze_example') if example else ((handle_file(path), model), '/analyze')
    try: job = space_client().submit(*args, api_name=api)
    except Exception as e:
        reset_client(); raise SpaceUnavailable(str(e)) from None
    try: return job.result(timeout=TIMEOUT)
    except FutureTimeout: job.cancel(); raise SpaceSlow() from None
    except Exception as e:
        from gradio_client.exceptions import AppError
        if isinstance(e, AppError): raise SpaceRefused(str(e)) from None
        reset_client(); raise SpaceUnavailable(str(e)) from None


def local_available()->bool:
    "Whether the sonicsight core is installed here, to answer without the Space"
    import importlib.util
    return importlib.util.find_spec('sonicsight') is not None

def ask_local(path:str|None, model:str, example:str|None=None)->dict:
    "The Space's analysis, computed on this device by the sonicsight core (onnxruntime; no torch)"
    from sonicsight.audio import AudioDecodeError
    from sonicsight.inference import load_model, example_clips
    from sonicsight.spectrogram import keep_freed_memory
    keep_freed_memory()  # clip after clip in one process, as the Space does: see `keep_freed_memory`
    src = example_clips()[example] if example else Path(path)
    try: return load_model(model, low_memory=True).analyze(src, top_k=5, name=src.name)
    except AudioDecodeError as e:
        log.info('%s: %s (%s)', e.source, e.reason, e.detail)
        raise SpaceRefused(f'Could not read {e.source}: {e.reason}.') from None

async def analysis(path:str|None, model:str, example:str|None=None)->tuple[dict, str|None]:
    "The analysis, from the Space or, as `LOCAL` says, from this device; and the note to show when this device answered"
    if LOCAL == 'always': return await asyncio.to_thread(ask_local, path, model, example), 'Answered on this device.'
    if LOCAL != 'auto' or not local_available(): return await asyncio.to_thread(ask_space, path, model, example), None
    try: return await asyncio.wait_for(asyncio.to_thread(ask_space, path, model, example), LOCAL_AFTER), None
    except (SpaceUnavailable, SpaceSlow, asyncio.TimeoutError) as e:  # the next request asks the Space again
        why = 'is not reachable' if isinstance(e, SpaceUnavailable) else 'is waking up'
        log.info('answering on this device: the Space %s', why)
        return await asyncio.to_thread(ask_local, path, model, example), f'Answered on this device; the SonicSight Space {why}.'


# Rendering the analysis
VIRIDIS = np.array([[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]], float)
MAGMA = np.array([[0, 0, 4], [81, 18, 124], [183, 55, 121], [252, 137, 97], [252, 253, 191]], float)

def _palette(lut)->list:
    "A 256-entry PIL palette interpolated along a colour ramp"
    x = np.linspace(0, len(lut)-1, 256); i = np.minimum(x.astype(int), len(lut)-2); f = (x-i)[:, None]
    return (lut[i]*(1-f) + lut[i+1]*f).astype(np.uint8).flatten().tolist()

def _uri(im:Image.Image)->str:
    buf = io.BytesIO(); im.save(buf, format='PNG', optimize=True)
    return 'data:image/png;base64,' + base64.b64encode(buf.getvalue()).decode()

def png_uri(values, lut=MAGMA, flip=True)->str:
    "A data: URI of a 2-D array drawn through a colour ramp (low rows at the bottom), as a small 8-bit palette PNG"
    a = np.asarray(values, float)
    idx = np.round(255*(a - a.min())/(np.ptp(a) or 1)).astype(np.uint8)
    im = Image.fromarray(idx[::-1] if flip else idx, 'P'); im.putpalette(_palette(lut))
    return _uri(im)

def cam_uri(values)->str:
    "The class activation map as a tiny cyan PNG whose opacity follows the map; the browser smooths it as it scales it up"
    a = np.asarray(values, float); a = np.clip(a/(a.max() or 1), 0, 1)[::-1]
    rgba = np.zeros(a.shape + (4,), np.uint8); rgba[..., 1], rgba[..., 2] = 229, 255; rgba[..., 3] = (200*a**2).astype(np.uint8)
    return _uri(Image.fromarray(rgba, 'RGBA'))

def pretty(name:str)->str: return name.replace('_', ' ')
def pct(p:float)->str: return f"{100*p:.0f} %"
def hz_label(f:float)->str: return f'{f/1000:g} kHz' if f >= 1000 else f'{f:g} Hz'

def verdict_view(a:dict, model:str):
    "The answer, once: the class and confidence, or 'not sure' with the closest class"
    top = a['predictions'][0]
    if a['label'] == 'uncertain':
        return Hgroup(H2('Not sure'), P(f"None of the known sounds fits well. Closest: {pretty(top['class'])} ({pct(top['confidence'])})."), id='verdict')
    return Hgroup(H2(pretty(a['label'])), P(f"{pct(top['confidence'])} confident ({MODELS[model]})"), id='verdict')

def bar_row(name:str, p:float, cls:str='row'):
    return Div(Span(name), Div(Div(cls='bar', style=f"width:{100*p:.1f}%")), Span(pct(p)), cls=cls)

def spectrogram_view(a:dict):
    "The spectrogram with Hz and seconds on its axes, and the class activation map over it"
    spec, (t0, t1) = a['input_spectrogram'], (a['window']['start'], a['window']['end'])
    n, f = spec['shape'][0], np.asarray(spec.get('frequencies', []), float)
    yt = [Span(hz_label(t), style=f"bottom:{100*(np.interp(t, f, np.arange(n))+0.5)/n:.1f}%")
          for t in (100, 500, 1000, 2000, 4000) if len(f) and f[0] <= t <= f[-1]]
    xt = [Span(f'{t:g} s', style=f'left:{100*(t-t0)/(t1-t0):.1f}%') for t in range(int(np.ceil(t0)), int(t1)+1)]
    layers = [Img(src=png_uri(spec['values']), cls='viz', id='spectrogram', alt='mel spectrogram')]
    caption = f'{t0:g}–{t1:g} s of the recording.'
    if cam := a.get('class_activation'):
        layers.append(Img(src=cam_uri(cam['values']), cls='cam', id='cam', alt=f"where the network heard {pretty(cam['class'])}"))
        caption = f"Glowing cyan: where the network heard {pretty(cam['class'])} (class activation map). " + caption
    return Figure(Div(Div(*yt, cls='yaxis'), Div(*layers, cls='stack'), Div(*xt, cls='xaxis'), cls='plot'), Figcaption(caption))

def waveform_view(w:dict, window:dict):
    "The waveform, scaled up when quiet, with the analysed window shaded"
    v = np.asarray(w['values'], float); peak = float(np.abs(v).max()) if len(v) else 0.0
    gain = 1/peak if 0 < peak < 0.5 else 1.0
    x = np.linspace(0, 1000, len(v)) if len(v) > 1 else np.zeros(1)
    pts = ' '.join(f'{a:.1f},{50-48*b:.1f}' for a, b in zip(x, v*gain))
    d, end = w['duration'] or 1, min(window['end'], w['duration'] or 1)
    shade = Rect(x=f"{1000*window['start']/d:.1f}", y='0', width=f"{1000*(end-window['start'])/d:.1f}", height='100',
                 fill='#ffb300', fill_opacity='0.25', id='window')
    svg = Svg(shade, Polyline(points=pts, fill='none', stroke='currentColor', stroke_width='1', vector_effect='non-scaling-stroke'),
              viewBox='0 0 1000 100', preserveAspectRatio='none', style='width:100%;height:6rem', role='img', aria_label=f"waveform, {w['duration']:.1f} s")
    note = f"{w['duration']:.1f} s; shaded: the window analysed ({window['start']:g}–{end:g} s)" + (f"; quiet, shown ×{gain:.0f}" if gain > 1.5 else '')
    return Figure(svg, Figcaption(note), id='waveform')

def timeline_view(tl:list):
    "Each window of a long recording: its time, answer and confidence"
    def name(w): return 'not sure' if w['label'] == 'uncertain' else pretty(w['label'])
    return Div(H4('Over time'), *[bar_row(f"{w['start']:g}–{w['end']:g} s: {name(w)}", w['predictions'][0]['confidence'],
                                          'row uncertain' if w['label'] == 'uncertain' else 'row') for w in tl], id='timeline')

def result_view(a:dict, model:str):
    maps = [Figure(Img(src=png_uri(v['values'], VIRIDIS), cls='viz', alt=f'{n} feature map'), Figcaption(f"{n} {v['shape'][0]}×{v['shape'][1]}"))
            for n, v in a['visualization'].items()]
    return Article(verdict_view(a, model), H4('Top 5'), *[bar_row(pretty(p['class']), p['confidence']) for p in a['predictions']],
                   *([timeline_view(a['timeline'])] if a.get('timeline') else []),
                   H4('What the model heard'), spectrogram_view(a),
                   H4('Waveform'), waveform_view(a['waveform'], a['window']),
                   H4('Inside the network'), P('What each stage of the network responds to (the mean over its channels), from fine detail to coarse.', cls='note'),
                   Div(*maps, cls='maps'), id='analysis')

def problem(msg:str): return Article(P(msg), cls='problem', id='problem', role='alert')


def upload_form(model:str='esc50'):
    "The one form: a file (or a recording) or an example, and a model; it works without JavaScript and keeps the chosen model"
    return Form(
        Label('Audio file', Input(type='file', name='audio', id='audio', accept='audio/*')),
        Audio(id='preview', controls=True, style='width:100%;display:none'),
        Div(Button('Record', type='button', id='rec', cls='secondary', style='display:none'), Small(id='rec-status', role='status')),
        Fieldset(Legend('Model'), *[Label(Input(type='radio', name='model', value=k, checked=k == model), v) for k, v in MODELS.items()]),
        Button('Analyze', type='submit', id='analyze'),
        Div(Small('Or try an example: '), *[Button(e, type='submit', name='example', value=e, cls='outline secondary') for e in EXAMPLES],
            cls='examples', id='examples'),
        Small(EXAMPLES_LICENCE, cls='note'),
        Progress(cls='htmx-indicator', id='busy'),
        action='/analyze', method='post', enctype='multipart/form-data',
        hx_post='/analyze', hx_target='#result', hx_encoding='multipart/form-data', hx_indicator='#busy')

PREVIEW_JS = Script('''
const input = document.getElementById('audio'), player = document.getElementById('preview');
function preview(file){ player.src = URL.createObjectURL(file); player.style.display = 'block'; }
input.addEventListener('change', () => input.files[0] && preview(input.files[0]));
const rec = document.getElementById('rec'), status = document.getElementById('rec-status');
const MIC_PROBLEMS = {NotAllowedError: 'Microphone access was refused: allow it for this site, or choose a file.',
                      NotFoundError: 'No microphone found: plug one in, or choose a file.',
                      NotReadableError: 'The microphone is busy in another program: close it there, or choose a file.'};
if (navigator.mediaDevices && window.MediaRecorder) {
  rec.style.display = 'inline-block'; let recorder = null;
  rec.onclick = async () => {
    if (recorder) { recorder.stop(); return; }
    let stream;
    try { stream = await navigator.mediaDevices.getUserMedia({audio: true}); }
    catch (e) { status.textContent = MIC_PROBLEMS[e.name] || `Could not start recording (${e.message || e.name}): choose a file instead.`; return; }
    const chunks = [];
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

def page(*result, model:str='esc50'):
    return (Title('SonicSight'),
            Main(Hgroup(H1('SonicSight'), P('Drop a sound, learn what it is.')), upload_form(model),
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

def shown_name(filename:str)->str:
    "The user's own file name, to name it in messages (never used as a path)"
    name = filename.replace('\\', '/').rsplit('/', 1)[-1].strip() or 'that file'
    return name if len(name) <= 80 else name[:77] + '…'

@rt('/analyze')
async def post(req, audio: UploadFile = None, model: str = 'esc50', example: str = ''):
    hx, keep = req.headers.get('HX-Request') == 'true', model if model in MODELS else 'esc50'
    def answer(frag, status=200, again=False):
        "The fragment for htmx; without JavaScript the whole page, keeping the model, and saying the file must be chosen again"
        if hx: return frag
        if again: frag = Div(frag, P('Choose the file again: browsers do not keep it after sending.', cls='note'))
        return FtResponse(page(frag, model=keep), status_code=status)
    if model not in MODELS: return answer(problem('Choose one of the models.'), 400)
    if example: return await analyze_example(example, model, answer)
    if audio is None or not getattr(audio, 'filename', None): return answer(problem('Choose an audio file, record one, or try an example.'), 400)
    name = shown_name(audio.filename)
    data = await read_capped(audio)
    if data is None: return answer(problem(f'{name} is too big: the limit is {MAX_BYTES//(1024*1024)} MB.'), 413, again=True)
    if not data: return answer(problem(f'{name} is empty.'), 400, again=True)
    suffix = audio_suffix(data[:64])
    if suffix is None: return answer(problem(f'{name} is not an audio file we can read (WAV, FLAC, OGG, MP3, M4A, AAC, WebM, AIFF or AU).'), 415, again=True)
    with tempfile.TemporaryDirectory(prefix='sonicsight-') as d:
        path = os.path.join(d, 'upload' + suffix)
        with open(path, 'wb') as f: f.write(data)
        try: a, note = await analysis(path, model)
        except (SpaceUnavailable, SpaceSlow) as e: return answer(*space_problem(e), again=True)
        except SpaceRefused as e:
            log.info('the Space refused %s: %s', name, e)
            return answer(problem(str(e).replace(os.path.basename(path), name) or f'The service could not analyse {name}.'), 422, again=True)
    return answer(answered(a, model, note))

def answered(a:dict, model:str, note:str|None, example:str|None=None):
    "The result, with a line saying where it came from when that is not the Space, or which example it is"
    lines = [P(t, cls='note', id=i) for t, i in ((note, 'answered-here'), (example and f'Example: {example}', 'example')) if t]
    return Div(*lines, result_view(a, model)) if lines else result_view(a, model)

def space_problem(e:Exception)->tuple:
    "The message and status for a Space that is down (503) or slow (504)"
    if isinstance(e, SpaceSlow): return problem(f'The SonicSight service did not answer within {TIMEOUT:.0f} s. Please try again.'), 504
    return problem('The SonicSight service is unavailable right now. Please try again in a minute.'), 503

async def analyze_example(example:str, model:str, answer):
    if example not in EXAMPLES: return answer(problem('Choose one of the examples.'), 400)
    try: a, note = await analysis(None, model, example)
    except (SpaceUnavailable, SpaceSlow) as e: return answer(*space_problem(e))
    except SpaceRefused as e: return answer(problem(str(e) or 'The service could not analyse that example.'), 422)
    return answer(answered(a, model, note, example))


if __name__ == '__main__':
    import uvicorn
    uvicorn.run('main:app', host=os.environ.get('BIND_ADDRESS', '127.0.0.1'), port=int(os.environ.get('PORT', 5001)), reload=True)
