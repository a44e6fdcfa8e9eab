"""SonicSight on Hugging Face Spaces: a Space runs `python app.py` from this folder; `sonicsight serve` runs the same app."""
import os
from pathlib import Path

here = Path(__file__).resolve().parent
if (here/'models').is_dir(): os.environ.setdefault('SONICSIGHT_MODELS', str(here/'models'))

from sonicsight.space import build_app, main, preload

preload()
demo = build_app()

if __name__ == '__main__': main(demo=demo)
