#!/usr/bin/env python3
"""Train manifests for the speaker-count comparison of docs/models.md: the same hours of
speech from 4, 7 or 11 recorded speakers of the English corpus, and the whole train split,
plus the two training configs (recipes/english.json with a cosine schedule of fixed length,
so that every run gets the same number of epochs).

    python3 scripts/speaker_subsets.py runs/corpus-english runs/speaker-subsets
    npm run sayre -- train --config runs/speaker-subsets/subset.json \
      --train runs/speaker-subsets/s4.jsonl --dev runs/corpus-english/dev-speakers.jsonl \
      --out runs/speaker-subsets/run-s4

(s7.jsonl and s11.jsonl the same way; all.jsonl with all.json.) Why a script and not a
sayre command: it only serves this one comparison.
"""
import collections
import json
import os
import random
import sys

S4 = ['pico-en-US', 'arctic-clb', 'kal', 'rab']
S7 = S4 + ['mbrola-us1', 'arctic-bdl', 'rhvoice-evgeniy']
FORMANT = 'espeak-ng-formant'
FORMANT_HOURS = 0.6


def main(corpus: str, out: str) -> None:
    rows = [json.loads(line) for line in open(os.path.join(corpus, 'train.jsonl'))]
    by = collections.defaultdict(list)
    for r in rows:
        by[r['speaker']].append(r)
    rng = random.Random(7)
    for k in by:
        rng.shuffle(by[k])
    s11 = [k for k in by if k != FORMANT]

    def take(speaker: str, seconds: float) -> list:
        got, h = [], 0.0
        for r in by[speaker]:
            if h >= seconds:
                break
            got.append(r)
            h += r['duration']
        return got

    formant = take(FORMANT, FORMANT_HOURS * 3600)
    # every subset holds the recorded hours of S4's speakers, in equal shares per speaker
    seconds = sum(r['duration'] for k in S4 for r in by[k])
    os.makedirs(out, exist_ok=True)

    def write(name: str, chosen: list) -> None:
        with open(os.path.join(out, name + '.jsonl'), 'w') as f:
            for r in chosen:
                r = dict(r, audio=os.path.relpath(os.path.join(corpus, r['audio']), out))
                f.write(json.dumps(r) + '\n')
        hours = sum(r['duration'] for r in chosen) / 3600
        print(f'{name}: {len(chosen)} utterances, {hours:.2f} h, {len({r["speaker"] for r in chosen}) - 1} recorded speakers')

    for name, speakers in (('s4', S4), ('s7', S7), ('s11', s11)):
        chosen = list(formant)
        for k in speakers:
            chosen += take(k, seconds / len(speakers))
        write(name, chosen)
    write('all', rows)

    recipe = json.load(open(os.path.join(os.path.dirname(__file__), '..', 'recipes', 'english.json')))
    t = recipe['training']
    t['maxEpochs'], t['patience'] = 18, 100
    for name, total, minutes in (('subset', 4400, 75), ('all', 13500, 100)):
        t['schedule'] = {'kind': 'cosine', 'totalSteps': total, 'minLr': 1e-5}
        t['maxMinutes'] = minutes
        with open(os.path.join(out, name + '.json'), 'w') as f:
            json.dump(recipe, f, indent=1)


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit('usage: speaker_subsets.py CORPUS_DIR OUT_DIR')
    main(sys.argv[1], sys.argv[2])
