"""Export again, with this machine's Python, a learner exported on another machine (e.g. the GPU one).

fastai pickles some functions by value, as bytecode of the Python that exported them: a learner exported with
Python 3.12 crashes Python 3.11 when it opens an image. This rebuilds the learner from the ESC-50 recipe's data
block and the card's normalisation, copies the trained weights in, and exports it here; the card keeps everything
the training run recorded and names the source file.

    python scripts/reexport_learner.py runs/gpu1/final-oc.pkl --card runs/gpu1/final-oc/model.json --out sonicsight/models/esc50.pkl
"""
import argparse, json
from pathlib import Path
from sonicsight.audio import AudioConfig
from sonicsight.data import cache_root, esc50_table, sha256_file
from sonicsight.train import load_learner_quietly, make_learner, spec_dls
from sonicsight.export import export_model

if __name__ == '__main__':
    a = argparse.ArgumentParser(description=__doc__)
    a.add_argument('pkl'); a.add_argument('--card', required=True); a.add_argument('--out', required=True)
    args = a.parse_args()
    card = json.loads(Path(args.card).read_text())
    dls = spec_dls(esc50_table(cache_root()/'esc50'), stats=(card['normalize']['mean'], card['normalize']['std']), num_workers=0)
    assert list(dls.vocab) == card['classes'], 'the data block gives other classes than the card'
    learn = make_learner(dls, card['arch'], pretrained=False, mixup=0, input_scale=card.get('input_scale', 1.0),
                         output_stride=card.get('output_stride', 32))
    learn.model.load_state_dict(load_learner_quietly(args.pkl).model.float().state_dict())
    learn.pretrained, learn.weights = card['pretrained'], card['weights']
    out = Path(args.out)
    new = export_model(learn, out, AudioConfig.from_dict(card['audio']))
    card.update({k: new[k] for k in ('file', 'sha256', 'size_bytes', 'onnx', 'date')}, name=out.stem,
                exported_from={'file': Path(args.pkl).name, 'sha256': sha256_file(args.pkl),
                               'note': 'trained and exported by the command above; exported again here with scripts/reexport_learner.py'})
    out.with_suffix('.json').write_text(json.dumps(card, indent=1))
    print(json.dumps({k: card[k] for k in ('name', 'file', 'sha256', 'size_bytes')}))
