"The library's shape: one-way module layering, and the core import path free of the heavy optional dependencies."
import re, subprocess, sys
from conftest import ROOT

ORDER = ['audio', 'spectrogram', 'data', 'train', 'export', 'recipes', 'yamnet', 'inference', 'archive', 'viz', 'evaluate', 'space', 'cli']  # the notebooks' order

def test_modules_import_only_from_earlier_ones():
    mods = sorted(p.stem for p in (ROOT/'sonicsight').glob('*.py') if not p.stem.startswith('_'))
    assert sorted(ORDER) == mods, 'a module is missing from ORDER'
    for i, m in enumerate(ORDER):
        src = (ROOT/'sonicsight'/f'{m}.py').read_text()
        used = {a or b for a, b in re.findall(r'from \.(\w+) import|from sonicsight\.(\w+) import', src)}
        later = used & set(ORDER[i+1:])
        assert not later, f'sonicsight.{m} imports {later}, which come after it'

def test_inference_imports_no_pandas_torch_or_matplotlib():
    code = "import sys, sonicsight.inference, sonicsight.viz; print(sorted({'pandas','torch','fastai','matplotlib','gradio'} & set(sys.modules)))"
    assert subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout.strip() == '[]'
