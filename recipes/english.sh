#!/usr/bin/env bash
# The English speech model, from nothing to a model directory with its LM and card.
# Every step resumes (corpus builds and training runs from their checkpoints; done steps
# are skipped), so running it again after an interruption goes on where it stopped.
# Runs in runs/ (override with RUNS=...). Steps: corpus, constant-rate training, cosine
# fine-tuning from that model (and a second one with wider speed/VTLP perturbation where
# recipes/NAME-finetune2.json exists; a third on 24 more hours of the same voices where
# recipes/NAME-finetune3.json does: `sayre corpus tts --extend`), LMs (built and tuned on dev-speakers), the
# half-precision copy that ships, evaluation of every split with and without the LM, model card.
# NAME=english-streaming trains the streaming model (a latency-controlled BiLSTM) the same way (recipes/NAME.json, NAME-finetune.json and
# NAME-finetune3.json, runs in $RUNS/NAME, NAME-ft and NAME-ft3) on the same corpora and LM.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-runs}
NAME=${NAME:-english}
sayre() { node dist/src/cli/main.js "$@"; }
npm run build

sayre corpus tts --out "$RUNS/corpus-english" --hours 12 --seed 1 --require-all-voices
[ -f "$RUNS/warzone/warzone-tutorial.jsonl" ] || sayre corpus warzone --out "$RUNS/warzone"
C=$RUNS/corpus-english
sayre train --config "recipes/$NAME.json" --train "$C/train.jsonl" --dev "$C/dev-speakers.jsonl" --out "$RUNS/$NAME" --resume
# a constant learning rate levels off; a decaying one from its best weights goes further
sayre train --config "recipes/$NAME-finetune.json" --train "$C/train.jsonl" --dev "$C/dev-speakers.jsonl" \
  --out "$RUNS/$NAME-ft" --init-from "$RUNS/$NAME/model/model.safetensors" --resume
M=$RUNS/$NAME-ft/model
if [ -f "recipes/$NAME-finetune2.json" ]; then
  # wider speed and vocal-tract perturbation from the fine-tuned weights: more speakers than the corpus holds
  sayre train --config "recipes/$NAME-finetune2.json" --train "$C/train.jsonl" --dev "$C/dev-speakers.jsonl" \
    --out "$RUNS/$NAME-ft2" --init-from "$M/model.safetensors" --resume
  M=$RUNS/$NAME-ft2/model
fi
extensions=()
if [ -f "recipes/$NAME-finetune3.json" ]; then
  # more hours of the same voices: another seed's plan, less what reads the first corpus's dev or test sentences or uses its held-out voices
  S=$RUNS/corpus-english-s2
  sayre corpus tts --out "$S" --hours 24 --seed 2 --require-all-voices --extend "$C"
  sayre train --config "recipes/$NAME-finetune3.json" --train "$C/train.jsonl" "$S/train.jsonl" --dev "$C/dev-speakers.jsonl" \
    --out "$RUNS/$NAME-ft3" --init-from "$M/model.safetensors" --resume
  M=$RUNS/$NAME-ft3/model
  extensions=(--extension "$S/corpus.json")
fi

# the LMs: text from the allowed packages, never a dev or test sentence (EX); weights tuned on dev-speakers only
L=$RUNS/english-lm
mkdir -p "$L"
[ -f "$L/text.txt" ] || sayre corpus lm-text --out "$L/text.txt"
EX=("$C/dev.jsonl" "$C/test.jsonl" "$C/dev-speakers.jsonl" "$C/test-speakers.jsonl")
if [ ! -f "$L/lm.arpa.gz" ]; then
  sayre lm build --order 3 --prune 0 1 1 --text "$L/text.txt" --out "$L/lm.arpa" --exclude "${EX[@]}"
  gzip -9f "$L/lm.arpa"
fi
if [ "$NAME" = english-streaming ]; then
  # Weighted by dev CER: a larger LM weight deletes letters the model heard (for the
  # unidirectional model before this one, alpha 0.75 put CER above best path's). 2026-12-06:
  # alpha 0.25 CER 41.22% / WER 80.28%, alpha 0.5 41.55% / 74.52%; best path 43.43% / 90.31%.
  # 2026-12-07 with a bonus per letter: alpha 0.5, label bonus 1, CER 37.61% / WER 73.80% (beam 16 kept: live streams).
  sayre lm tune --model "$M" --manifest "$C/dev-speakers.jsonl" --lm "$L/lm.arpa.gz" \
    --alphas 0.25,0.5,0.75 --betas 0 --label-bonuses 0,0.5,1,2 --beam 16 --metric cer --attach
else
  # A character 6-gram in the search with a smaller word 3-gram beside it (10 MB together):
  # on dev-speakers 56.71% WER, 29.07% CER against 57.79%, 30.50% with the word LM above alone.
  if [ ! -f "$L/char-lm.arpa.gz" ]; then
    sayre lm build --unit char --delimiter '<sp>' --order 6 --prune 0 0 1 2 3 4 --text "$L/text.txt" --out "$L/char-lm.arpa" --exclude "${EX[@]}"
    gzip -9f "$L/char-lm.arpa"
  fi
  if [ ! -f "$L/word-lm.arpa.gz" ]; then
    sayre lm build --order 3 --prune 0 2 2 --text "$L/text.txt" --out "$L/word-lm.arpa" --exclude "${EX[@]}"
    gzip -9f "$L/word-lm.arpa"
  fi
  # A word bonus of at least 1 beside the bonus per letter: with beta 0 the search joins
  # words into long unknown strings whose letters each earn the bonus ("foxjuntsoverethelazydog").
  sayre lm tune --model "$M" --manifest "$C/dev-speakers.jsonl" --lm "$L/char-lm.arpa.gz" --word-lm "$L/word-lm.arpa.gz" \
    --alphas 0.8,1 --betas 1 --label-bonuses 2,2.5 --word-alphas 0.5,0.7 --unk-scores -1,-3 --beam 64 --attach
fi

# what ships: the weights at half precision (half the bytes, the same readings to a hundredth
# of a point); evaluated as such
F=$(dirname "$M")/model-f16
rm -rf "$F"
sayre export --float16 "$F" --model "$M"
M=$F
E=$(dirname "$M")/eval
mkdir -p "$E"
cards=()
# a model other than english is shown beside it on the same splits, where its reports exist
B=$RUNS/english-ft/eval
[ -f recipes/english-finetune2.json ] && B=$RUNS/english-ft2/eval
[ -f recipes/english-finetune3.json ] && B=$RUNS/english-ft3/eval
beside=false
if [ "$NAME" != english ] && [ -d "$B" ]; then beside=true; cards+=(--baseline-name english); fi
for split in test dev-speakers test-speakers warzone; do
  manifest=$C/$split.jsonl
  [ "$split" = warzone ] && manifest=$RUNS/warzone/warzone-tutorial.jsonl
  sayre eval --no-lm --model "$M" --manifest "$manifest" --report "$E/$split-best.txt" --json-report "$E/$split-best.json"
  sayre eval --model "$M" --manifest "$manifest" --report "$E/$split-lm.txt" --json-report "$E/$split-lm.json"
  cards+=(--eval "$split=$E/$split-best.json" --eval "$split=$E/$split-lm.json")
  if $beside; then cards+=(--baseline "$split=$B/$split-best.json" --baseline "$split=$B/$split-lm.json"); fi
done
sayre card --model "$M" --name "$NAME" --corpus "$C/corpus.json" "${extensions[@]}" "${cards[@]}"
echo "model: $M (npm run recipe:$NAME:bundle copies it to models/$NAME)"
