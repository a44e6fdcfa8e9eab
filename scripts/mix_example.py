"Make a bundled example of two sounds at once: ESC-50 clips (from the ESC-10 subset, CC BY) at equal loudness, summed."
import argparse
from pathlib import Path
import numpy as np, soundfile as sf
from sonicsight.audio import load_audio
from sonicsight.data import esc50_items

def mix(clips, sr:int=16_000, peak:float=0.9)->np.ndarray:
    "Clips scaled to the same RMS, cut to the shortest, summed and scaled to `peak`"
    ys = [load_audio(p, sr) for p in clips]
    n = min(map(len, ys))
    y = sum(y[:n]/np.sqrt(np.mean(y[:n]**2)) for y in ys)
    return (y*peak/np.abs(y).max()).astype(np.float32)

if __name__=='__main__':
    a = argparse.ArgumentParser(description=__doc__)
    a.add_argument('clips', nargs='+', help='ESC-50 clip names without extension, e.g. 5-205898-A-40')
    a.add_argument('--out', required=True); a.add_argument('--esc50', help='ESC-50 folder (default: the data root)')
    args = a.parse_args()
    df = esc50_items(args.esc50)
    paths = {Path(f).stem: p for f,p in zip(df.filename, df.path)}
    if unknown := [c for c in args.clips if c not in paths]: a.error(f"not in ESC-50's meta/esc50.csv: {', '.join(unknown)}")
    sf.write(args.out, mix([paths[c] for c in args.clips]), 16_000, subtype='PCM_16')
