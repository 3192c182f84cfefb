/**
 * The server's wait for a stream's final after the end of its input: a recogniser working
 * through a backlog keeps the stream waiting as long as it makes progress; one that takes no
 * step for the whole wait is given up with a final that says so.
 */
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { LiveStream, type StreamTransport } from '../../src/server/live-stream.js';
import type { EngineStream, ServerStreamEvent, StreamEngine, StreamListener } from '../../src/server/stream-engine.js';

/** An engine that does nothing by itself: the test plays the recogniser through `listener`. */
function heldEngine(): { engine: StreamEngine; listener: () => StreamListener } {
  let l: StreamListener | undefined;
  const stream: EngineStream = { push: () => {}, end: () => {}, drop: () => {} };
  const engine: StreamEngine = {
    model: 'held', streaming: true, openStreams: 0,
    open: (_rate, listener) => { l = listener; return stream; },
    close: async () => {},
  };
  return { engine, listener: () => l! };
}

function transport(): StreamTransport & { events: ServerStreamEvent[]; finished: boolean } {
  const t = { events: [] as ServerStreamEvent[], finished: false, send: (e: ServerStreamEvent) => { t.events.push(e); }, finish: () => { t.finished = true; }, pause: () => {}, resume: () => {} };
  return t;
}

test('the wait for the final grows while the recogniser makes progress, and ends a hung stream with a final that says why', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { engine, listener } = heldEngine();
    const out = transport();
    const limits = { maxStreamSeconds: 3600, timeoutMs: 1000, maxLagSeconds: 1e6 };
    const s = new LiveStream(engine, out, limits, { rate: 16000, encoding: 'f32le' });
    s.write(new Uint8Array(new Float32Array(16000 * 100).buffer)); // 100 s of audio, none decoded yet
    s.end();
    // a backlog: a step through the audio every 20 s, 5 minutes in all, far past the 30 s wait
    for (let t = 1; t <= 15; t++) {
      mock.timers.tick(20000);
      listener().onEvents([], (100 * t) / 15);
      assert.equal(out.finished, false, `still waiting at ${20 * t} s`);
    }
    listener().onEvents([{ type: 'final', text: 'done', start: 0, end: 100, words: [] }], 100);
    listener().onEnd();
    assert.equal(out.finished, true);
    assert.deepEqual(out.events.map((e) => e.type), ['final']);

    // a hung recogniser: no step for 30 s after the end of the input
    const hung = heldEngine(), out2 = transport();
    const s2 = new LiveStream(hung.engine, out2, limits, { rate: 16000, encoding: 'f32le' });
    s2.write(new Uint8Array(new Float32Array(16000).buffer));
    s2.end();
    mock.timers.tick(29999);
    assert.equal(out2.finished, false);
    hung.listener().onEvents([], 0); // no step: consumed did not move
    mock.timers.tick(1);
    assert.equal(out2.finished, true);
    const last = out2.events.at(-1)!;
    assert.equal(last.type, 'final');
    assert.match((last as { reason?: string }).reason ?? '', /no progress through the audio, within 30000 ms/);
  } finally {
    mock.timers.reset();
  }
});
