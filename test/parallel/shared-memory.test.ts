/** Shared scratch and the byte copies in and out of shared memory. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedScratch, copyBytes, uninitialisedF32, unsharedCopy } from '../../src/parallel/shared-memory.js';

test('scratch buffers are shared, reused while big enough, and grow when not', () => {
  const s = new SharedScratch();
  const a = s.f32('x', 100);
  assert.ok(a.buffer instanceof SharedArrayBuffer);
  assert.equal(a.length, 100);
  assert.equal(s.f32('x', 50).buffer, a.buffer, 'reused');
  const b = s.f32('x', 1000);
  assert.notEqual(b.buffer, a.buffer, 'grown');
  assert.equal(b.length, 1000);
  assert.notEqual(s.f32('y', 10).buffer, b.buffer, 'names are separate');
  assert.equal(s.f64('x', 7).length, 7);
});

test('share passes shared arrays through and copies the others; copies out are unshared and exact', () => {
  const s = new SharedScratch();
  const shared = new Float32Array(new SharedArrayBuffer(40)).fill(2);
  assert.equal(s.share('in', shared), shared);
  const plain = Float32Array.from({ length: 1001 }, (_, i) => i * 0.25 - 7);
  const inShared = s.share('in', plain);
  assert.ok(inShared.buffer instanceof SharedArrayBuffer);
  assert.deepEqual(inShared, plain);
  const out = unsharedCopy(inShared);
  assert.ok(!(out.buffer instanceof SharedArrayBuffer));
  assert.deepEqual(out, plain);
  const d = unsharedCopy(Float64Array.of(1.5, -2, Math.PI));
  assert.deepEqual([...d], [1.5, -2, Math.PI]);
  assert.deepEqual(copyBytes(Int32Array.of(3, 4), new Int32Array(2)), Int32Array.of(3, 4));
  assert.equal(uninitialisedF32(12345).length, 12345);
  assert.equal(uninitialisedF32(0).length, 0);
});
