"""Accuracy of ESC-50 models alone and of the mean of their probabilities, on the training validation hold-out and on fold 5.

For the record only (the shipped models are single networks): e.g. the shipped esc50 against the not-shipped v3 run.
The hold-out is training data for runs trained with `--valid none` (the shipped esc50 since v4): for those, read
only the fold-5 line (or score on fold 4 with scripts/esc50_fold_probs.py and scripts/choose_ensemble.py).

    python scripts/ensemble_check.py sonicsight/models/esc50.pkl runs/esc50-v3/esc50.pkl
"""
import sys
import numpy as np
from sonicsight.inference import load_model
from sonicsight.data import cache_root, esc50_items, esc50_table

def probs(clf, paths)->np.ndarray:
    rows = []
    for p in paths:
        conf = {x['class']: x['confidence'] for x in clf.predict(p, top_k=len(clf.classes))['predictions']}
        rows.append([conf[c] for c in clf.classes])
    return np.array(rows)

if __name__ == '__main__':
    models = [load_model(m) for m in sys.argv[1:]]
    classes = np.array(models[0].classes)
    assert all(list(m.classes)==list(classes) for m in models), "the models must share their classes"
    items = esc50_items(); by_stem = {p.stem: p for p in items.path}
    table = esc50_table(cache_root()/'esc50', items)  # the same grouped hold-out the trainings used (seed 42)
    valid = table[table.is_valid]; fold5 = items[items.fold==5]
    for name, paths, labels in (('validation', [by_stem[p.stem] for p in valid.png], valid.label),
                                ('fold 5', list(fold5.path), fold5.category)):
        P = [probs(m, paths) for m in models]; labels = np.array(labels)
        acc = lambda p: float((classes[p.argmax(1)]==labels).mean())
        print(f"{name} ({len(labels)} clips): " + ', '.join(f'{a}: {acc(p):.4f}' for a,p in zip(sys.argv[1:], P))
              + f", mean of probabilities: {acc(sum(P)/len(P)):.4f}")
