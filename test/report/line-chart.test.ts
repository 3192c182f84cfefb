import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTick, linearTicks, logTicks, renderChart } from '../../src/report/line-chart.js';

test('linearTicks are round numbers covering the range', () => {
  const t = linearTicks(0, 1, 5).map((v) => Number(v.toPrecision(6)));
  assert.deepEqual(t, [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(linearTicks(3, 3870, 8), [500, 1000, 1500, 2000, 2500, 3000, 3500]);
  assert.deepEqual(linearTicks(-7, 12, 4), [-5, 0, 5, 10]);
  assert.deepEqual(linearTicks(2, 2), [2]);
});

test('logTicks choose 1-9, 1-2-5 or decades by the span', () => {
  assert.deepEqual(logTicks(10, 300), [10, 20, 50, 100, 200]);
  assert.deepEqual(logTicks(2.5, 9), [3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(logTicks(0.05, 2000), [0.1, 1, 10, 100, 1000]);
});

test('formatTick keeps three significant digits and abbreviates large values', () => {
  assert.equal(formatTick(0.30000000000000004), '0.3');
  assert.equal(formatTick(1500), '1500');
  assert.equal(formatTick(25000), '25k');
  assert.equal(formatTick(2_500_000), '2.5M');
  assert.equal(formatTick(-0.1234), '-0.123');
});

/** The numbers of every M/L command of every path, as [x, y] pairs. */
function pathPoints(svg: string): [number, number][] {
  const pts: [number, number][] = [];
  for (const m of svg.matchAll(/ d="([^"]*)"/g)) {
    for (const c of m[1]!.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)) pts.push([Number(c[1]), Number(c[2])]);
  }
  return pts;
}

test('renderChart draws series inside the plot, breaks lines at gaps and escapes text', () => {
  const svg = renderChart({
    title: 'a <b> & "c"',
    xLabel: 'step',
    width: 600,
    panels: [{ title: 'Loss', series: [{ name: 'train', color: '#000', points: [[0, 5], [1, 4], [2, NaN], [3, 2], [4, 1]] }] }],
    markers: [{ x: 2, label: 'noise on', dashed: true }],
  });
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.ok(svg.trimEnd().endsWith('</svg>'));
  assert.ok(svg.includes('a &lt;b&gt; &amp; &quot;c&quot;'));
  assert.ok(!svg.includes('<b>'));
  const d = /<path d="([^"]*)"/.exec(svg)![1]!;
  assert.equal(d.split('M').length - 1, 2, 'the NaN point splits the line in two');
  for (const [x, y] of pathPoints(svg)) {
    assert.ok(x >= 64 && x <= 580, `x ${x} outside the plot`);
    assert.ok(y >= 0 && y <= 340, `y ${y} outside the chart`);
  }
  assert.ok(svg.includes('noise on'));
  assert.ok(svg.includes('stroke-dasharray'));
});

test('a log axis leaves out non-positive values; larger values are drawn higher', () => {
  const svg = renderChart({
    xLabel: 'x',
    panels: [{ title: 'L', logY: true, series: [{ name: 's', color: '#000', points: [[0, 100], [1, 0], [2, 10], [3, 1]] }] }],
  });
  assert.ok(svg.includes('(log scale)'));
  const pts = pathPoints(svg);
  assert.equal(pts.length, 3);
  assert.ok(pts[0]![1] < pts[1]![1] && pts[1]![1] < pts[2]![1]);
  // Equal log steps are equal pixel steps.
  assert.ok(Math.abs((pts[1]![1] - pts[0]![1]) - (pts[2]![1] - pts[1]![1])) < 0.2);
});

test('an empty chart and a single point still render', () => {
  for (const points of [[], [[5, 5]]] as [number, number][][]) {
    const svg = renderChart({ xLabel: 'x', panels: [{ title: 'p', series: [{ name: 's', color: '#000', points }] }] });
    assert.ok(svg.includes('</svg>'));
    assert.ok(!svg.includes('NaN'));
  }
});
