#!/usr/bin/env bash
# The text-line model, from nothing to a model directory with its line LM and card.
# Every step resumes (the corpus build and the training runs from their checkpoints; done
# steps are skipped). Runs in runs/ (override with RUNS=...). Steps: corpus, character LM
# and the case-folded word LM beside it, constant-rate training, cosine fine-tuning from that model, a second one on a corpus three
# times larger, a third on taller images, a fourth adding another seed's lines, a fifth
# adding a third seed's, the LM weights, bonus per letter and unknown-word score, the
# half-precision copy that ships and the evaluation of every split with it, the bench
# against tesseract on the held-out fonts, model card.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-runs}
sayre() { node dist/src/cli/main.js "$@"; }
npm run build

C=$RUNS/corpus-text-lines
sayre corpus lines --out "$C" --lines 12000 --held-out-lines 300 --seed 1 --handwriting-share 0.6 --augmentation strong --jobs 2 --require-all-fonts
mkdir -p "$RUNS/text-lines"
LM=$RUNS/text-lines/lm.arpa.gz
if [ ! -f "$LM" ]; then
  sayre lm build --unit char --delimiter '<sp>' --order 6 --prune 0 0 1 2 2 3 --text "$C/texts.txt" \
    --exclude "$C/dev.jsonl" "$C/test.jsonl" "$C/heldout-dev.jsonl" "$C/heldout-test.jsonl" --out "$RUNS/text-lines/lm.arpa"
  gzip -9f "$RUNS/text-lines/lm.arpa"
fi
# whole words, case-folded: the character LM spells inside words, this one judges them
WLM=$RUNS/text-lines/word-lm.arpa.gz
if [ ! -f "$WLM" ]; then
  sayre lm build --unit word --fold --order 3 --prune 0 1 1 --text "$C/texts.txt" \
    --exclude "$C/dev.jsonl" "$C/test.jsonl" "$C/heldout-dev.jsonl" "$C/heldout-test.jsonl" --out "$RUNS/text-lines/word-lm.arpa"
  gzip -9f "$RUNS/text-lines/word-lm.arpa"
fi
export SAYRE_THREADS=${SAYRE_THREADS:-1}
sayre train --config recipes/text-lines.json --train "$C/train.jsonl" --dev "$C/heldout-dev.jsonl" --out "$RUNS/text-lines" --resume
# a constant learning rate levels off; a decaying one from its best weights goes further
sayre train --config recipes/text-lines-finetune.json --train "$C/train.jsonl" --dev "$C/heldout-dev.jsonl" \
  --out "$RUNS/text-lines-ft" --init-from "$RUNS/text-lines/model/model.safetensors" --resume
# then three times the train lines (same seed, fonts and text pool; its first 10,800 train
# lines are the small corpus's, hard-linked in rather than rendered again) from that model
L=$RUNS/corpus-text-lines-36k
if [ ! -f "$L/corpus.json" ]; then
  mkdir -p "$L/images/train"
  cp -aln "$C/images/train/." "$L/images/train/"
fi
sayre corpus lines --out "$L" --lines 36000 --held-out-lines 0 --seed 1 --handwriting-share 0.6 --augmentation strong --jobs 2 --require-all-fonts
sayre train --config recipes/text-lines-finetune2.json --train "$L/train.jsonl" --dev "$C/heldout-dev.jsonl" \
  --out "$RUNS/text-lines-ft2" --init-from "$RUNS/text-lines-ft/model/model.safetensors" --resume
# fine-tune N: every weight from the half-precision copy of stage N-1 (what shipped before
# it), on the train manifests given, scored on heldout-dev
finetune_f16() {
  local n=$1 before=$RUNS/text-lines-ft$(($1 - 1))
  shift
  [ -f "$before/model-f16/model.safetensors" ] || sayre export --float16 "$before/model-f16" --model "$before/model"
  sayre train --config "recipes/text-lines-finetune$n.json" --train "$@" --dev "$C/heldout-dev.jsonl" \
    --out "$RUNS/text-lines-ft$n" --init-from "$before/model-f16/model.safetensors" --resume
}
# 9,000 train lines of another seed's plan in folder $2 (--extend: none of the first corpus's
# dev, test or held-out texts, none of its held-out families)
extension() {
  sayre corpus lines --out "$2" --lines 9000 --dev-share 0 --test-share 0 --seed "$1" --handwriting-share 0.6 --augmentation strong --jobs 2 --require-all-fonts --extend "$C"
}
# then the same weights on images 48 rows high instead of 32 (the last block pools 3 rows
# instead of 2, so every weight keeps its shape): script faces keep more of their strokes
finetune_f16 3 "$C/train.jsonl"
# then the first corpus's train lines and another seed's, then a third seed's beside both
X=$RUNS/corpus-lines-s2
extension 2 "$X"
finetune_f16 4 "$C/train.jsonl" "$X/train.jsonl"
Y=$RUNS/corpus-lines-s3
extension 3 "$Y"
finetune_f16 5 "$C/train.jsonl" "$X/train.jsonl" "$Y/train.jsonl"
M=$RUNS/text-lines-ft5/model
# both LMs' weights, the bonus per letter and the unknown-word score tuned at a beam of 64 on
# the held-out-font dev lines (by CER), then the model's default
sayre lm tune --model "$M" --manifest "$C/heldout-dev.jsonl" --lm "$LM" --word-lm "$WLM" --alphas 0.6,0.7,0.8,0.9 --betas 0 \
  --label-bonuses 2,3,4 --word-alphas 0.3,0.4,0.5 --unk-scores -2,-3,-4 --beam 64 --attach
# what ships: the weights at half precision (half the bytes); evaluated as such
F=$RUNS/text-lines-ft5/model-f16
rm -rf "$F"
sayre export --float16 "$F" --model "$M"

E=$RUNS/text-lines-ft5/eval
mkdir -p "$E"
cards=()
for split in heldout-dev heldout-test test; do
  sayre eval --no-lm --model "$F" --manifest "$C/$split.jsonl" --report "$E/$split-best.txt" --json-report "$E/$split-best.json"
  sayre eval --model "$F" --manifest "$C/$split.jsonl" --report "$E/$split-lm.txt" --json-report "$E/$split-lm.json"
  cards+=(--eval "$split=$E/$split-best.json" --eval "$split=$E/$split-lm.json")
done
SAYRE_LINES_CORPUS=$C SAYRE_LINES_MODEL=$F SAYRE_LINES_JSON=$E/bench-heldout-test.json node dist/bench/lines.bench.js | tee "$E/bench-heldout-test.txt"
sayre card --model "$F" --name text-lines --corpus "$C/corpus.json" --extension "$X/corpus.json" --extension "$Y/corpus.json" "${cards[@]}" --bench "heldout-test=$E/bench-heldout-test.json"
echo "model: $F (npm run recipe:text-lines:bundle copies it to models/text-lines)"
