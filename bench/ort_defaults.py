"""Imported first by a bench's fresh process to measure the baseline: every onnxruntime session takes onnxruntime's own
defaults (memory arena and memory pattern on), which `sonicsight.inference`'s runner changes. See `pi_local.py`,
`onnx_memory.py`."""
import onnxruntime as ort

_session = ort.InferenceSession
def _with_defaults(path, opts, **kw):
    opts.enable_cpu_mem_arena = opts.enable_mem_pattern = True
    return _session(path, opts, **kw)
ort.InferenceSession = _with_defaults
