#!/usr/bin/env bash
# The normalisation comparison of the speech issue: recipes/english.json trained three
# times for the same number of epochs (the same batches, so the comparison does not depend
# on the machine's load), with global CMVN only, with causal sliding-window CMVN (300
# frames) and with per-utterance CMVN, then each scored by best path on the
# held-out-speakers dev split. Resumable (each run from its checkpoints). Needs the corpus of
# recipes/english.sh. EPOCHS (default 4) is each run's length, MINUTES (default 240) a cap on
# its training time; RUNS as there.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-runs}
EPOCHS=${EPOCHS:-4}
MINUTES=${MINUTES:-240}
C=$RUNS/corpus-english
sayre() { node dist/src/cli/main.js "$@"; }
npm run build
declare -A FRONT=(
  [global]='{}'
  [sliding]='{"slidingCmvn": {"window": 300, "skipSilence": true}}'
  [utterance]='{"utteranceCmvn": {"normVars": true}}'
)
for kind in global sliding utterance; do
  out=$RUNS/norm-$kind
  mkdir -p "$RUNS"
  node -e '
    const [base, extra, out] = process.argv.slice(1);
    const c = JSON.parse(require("fs").readFileSync(base, "utf8"));
    delete c.frontEnd.slidingCmvn; delete c.frontEnd.utteranceCmvn;
    Object.assign(c.frontEnd, JSON.parse(extra));
    require("fs").writeFileSync(out, JSON.stringify(c, null, 2));
  ' recipes/english.json "${FRONT[$kind]}" "$RUNS/norm-$kind.json"
  sayre train --config "$RUNS/norm-$kind.json" --train "$C/train.jsonl" --dev "$C/dev-speakers.jsonl" --out "$out" --resume --max-epochs "$EPOCHS" --max-minutes "$MINUTES"
  sayre eval --no-lm --model "$out/model" --manifest "$C/dev-speakers.jsonl" --json-report "$out/dev-speakers-best.json" > "$out/dev-speakers-best.txt"
done
echo "| normalisation | epochs | dev-speakers CER | WER | training minutes |"
echo "|---|---:|---:|---:|---:|"
for kind in global sliding utterance; do
  node -e '
    const fs = require("fs"), [report, kind, epochs, state] = process.argv.slice(1);
    const t = JSON.parse(fs.readFileSync(report, "utf8")).total, minutes = JSON.parse(fs.readFileSync(state, "utf8")).trainSeconds / 60;
    console.log(`| ${kind} | ${epochs} | ${(100 * t.cer).toFixed(2)}% | ${(100 * t.wer).toFixed(2)}% | ${minutes.toFixed(1)} |`);
  ' "$RUNS/norm-$kind/dev-speakers-best.json" "$kind" "$EPOCHS" "$RUNS/norm-$kind/state.json"
done
