/**
 * The demo page's microphone tap, an AudioWorklet processor (the audio rendering thread
 * hands it 128-sample quanta): it averages the channels to mono and posts ~100 ms chunks
 * (at the audio context's rate) straight to the recogniser worker over the port the page
 * hands it, so audio never waits on the page's main thread. On 'stop' it sends what it
 * holds, then 'end'. Loaded with audioWorklet.addModule.
 */
import { MIC_PROCESSOR, type MicMessage, type ToMicWorklet } from './worker-protocol.js';

// The AudioWorkletGlobalScope's names (TypeScript's DOM library does not describe that scope).
declare const sampleRate: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, processor: new () => AudioWorkletProcessor): void;

class MicProcessor extends AudioWorkletProcessor {
  private out: MessagePort | undefined;
  private chunk = new Float32Array(Math.round(sampleRate / 10));
  private filled = 0;
  private stopped = false;

  constructor() {
    super();
    this.port.onmessage = (e: MessageEvent<ToMicWorklet>) => {
      if (e.data.type === 'connect') this.out = e.data.audio;
      else this.stop();
    };
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.stopped) return false;
    const channels = inputs[0] ?? [];
    const n = channels[0]?.length ?? 0;
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (const c of channels) sum += c[i]!;
      this.chunk[this.filled++] = sum / channels.length;
      if (this.filled === this.chunk.length) this.send();
    }
    return true;
  }

  private post(m: MicMessage, transfer: Transferable[] = []): void {
    this.out?.postMessage(m, transfer);
  }

  private send(): void {
    const samples = this.chunk.slice(0, this.filled);
    this.post({ type: 'audio', samples }, [samples.buffer]);
    this.filled = 0;
  }

  private stop(): void {
    if (this.stopped) return;
    if (this.filled > 0) this.send();
    this.post({ type: 'end' });
    this.stopped = true;
  }
}

registerProcessor(MIC_PROCESSOR, MicProcessor);
