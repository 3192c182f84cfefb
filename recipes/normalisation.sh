#!/usr/bin/env bash
# The normalisation comparison of the speech issue: recipes/english.json trained three
# times for the same minutes, with global CMVN only, with causal sliding-window CMVN (300
# frames) and with per-utterance CMVN, then each scored by best path on the
# held-out-speakers dev split. Resumable (each run from its checkpoints). Needs the corpus of
# recipes/english.sh. MINUTES (default 60) is each run's training time; RUNS as there.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-runs}
MINUTES=${MINUTES:-60}
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
  sayre train --config "$RUNS/norm-$kind.json" --train "$C/train.jsonl" --dev "$C/dev-speakers.jsonl" --out "$out" --resume --max-minutes "$MINUTES"
  sayre eval --no-lm --model "$out/model" --manifest "$C/dev-speakers.jsonl" --json-report "$out/dev-speakers-best.json" > "$out/dev-speakers-best.txt"
done
echo "| normalisation | dev-speakers CER | WER | minutes |"
echo "|---|---:|---:|---:|"
for kind in global sliding utterance; do
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const t = r.total; console.log(`| ${process.argv[2]} | ${(100 * t.cer).toFixed(2)}% | ${(100 * t.wer).toFixed(2)}% | ${process.argv[3]} |`);
  ' "$RUNS/norm-$kind/dev-speakers-best.json" "$kind" "$MINUTES"
done
