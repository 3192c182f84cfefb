import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Random } from '../../src/math/random.js';

describe('Random', () => {
  it('the same seed gives the same stream; different seeds differ', () => {
    const a = new Random(5), b = new Random(5), c = new Random(6);
    const xs = Array.from({ length: 8 }, () => a.nextUint32());
    assert.deepEqual(Array.from({ length: 8 }, () => b.nextUint32()), xs);
    assert.notDeepEqual(Array.from({ length: 8 }, () => c.nextUint32()), xs);
    for (const x of xs) assert.ok(Number.isInteger(x) && x >= 0 && x < 2 ** 32);
  });

  it('continues exactly from a saved state', () => {
    const a = new Random(9);
    a.fillNormal(new Float32Array(7));
    const b = Random.fromState(a.state());
    const x = new Float32Array(101), y = new Float32Array(101);
    a.fillNormal(x, 0.5);
    b.fillNormal(y, 0.5);
    assert.deepEqual(y, x);
    assert.equal(a.uniform(), b.uniform());
    assert.throws(() => Random.fromState([1, 2, 3]), /four unsigned 32-bit integers/);
  });

  it('draws uniforms in [0, 1) and normals with the requested mean and deviation', () => {
    const r = new Random(1);
    const n = 200_000;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      assert.ok(u >= 0 && u < 1);
      sum += u;
    }
    assert.ok(Math.abs(sum / n - 0.5) < 0.005);
    const z = new Float32Array(n);
    r.fillNormal(z, 2, 1);
    let m = 0, v = 0;
    for (const x of z) m += x;
    m /= n;
    for (const x of z) v += (x - m) ** 2;
    assert.ok(Math.abs(m - 1) < 0.03, `mean ${m}`);
    assert.ok(Math.abs(Math.sqrt(v / n) - 2) < 0.03, `std ${Math.sqrt(v / n)}`);
    const counts = new Array<number>(5).fill(0);
    for (let i = 0; i < 50_000; i++) counts[r.int(5)]!++;
    for (const c of counts) assert.ok(Math.abs(c - 10_000) < 500);
  });
});
