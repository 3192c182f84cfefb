/**
 * The demo page's live captions: the microphone through an AudioWorklet
 * (src/web/mic-worklet.ts) straight to the recogniser worker, which runs a StreamSession
 * and answers with partials as the person speaks and a final at each pause. The partial
 * line is rewritten in place; finals accumulate above it.
 */
import type { FinalEvent, StreamEvent } from '../recognizer/stream-session.js';
import { micErrorMessage, micUnsupported } from './mic-errors.js';
import { type FromWorker, MIC_PROCESSOR, type ToMicWorklet, type ToWorker } from './worker-protocol.js';

/** Where live captions are: 'off', 'starting' (asking for the microphone), 'on', 'stopping' (the last final on its way). */
export type LiveState = 'off' | 'starting' | 'on' | 'stopping';

/** The page's elements live captions draw on. */
export interface LiveElements {
  button: HTMLButtonElement;
  status: HTMLElement;
  finals: HTMLElement;
  partial: HTMLElement;
}

/** An open microphone and the audio graph that taps it. */
interface Mic {
  stream: MediaStream;
  context: AudioContext;
  node: AudioWorkletNode;
  /** Settles when the worker has sent the stream's last event. */
  ended: Promise<void>;
}

/** Live captions on the page (window.sayreDemo.live, for tests and the curious). */
export class LiveCaptions {
  state: LiveState = 'off';
  /** The events of the current (or last) run, in order. */
  events: StreamEvent[] = [];
  /** Keep the audio the worker received and put it in `audio` when stopped (tests, debugging). */
  keepAudio = false;
  /** The audio of the last run, at its rate, when `keepAudio` was set. */
  audio: { samples: Float32Array; sampleRate: number } | undefined;
  private mic: Mic | undefined;
  private settle: ((error?: string) => void) | undefined;

  constructor(private readonly worker: Worker, private readonly el: LiveElements) {
    worker.addEventListener('message', (e: MessageEvent<FromWorker>) => this.fromWorker(e.data));
    el.button.addEventListener('click', () => void (this.state === 'on' ? this.stop() : this.state === 'off' ? this.start() : undefined));
    this.show('off', 'Press Start and speak: the words appear as you talk, a line for each pause.');
  }

  /** Opens the microphone and starts captioning; on failure says why in the status line. */
  async start(): Promise<void> {
    if (this.state !== 'off') return;
    const unsupported = micUnsupported();
    if (unsupported) return this.fail(unsupported);
    this.show('starting', 'Asking for the microphone…');
    let stream: MediaStream, context: AudioContext | undefined;
    try {
      // The recogniser wants the signal as spoken: browser clean-ups change it in ways it was not trained on.
      stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
    } catch (err) {
      return this.fail(micErrorMessage(err));
    }
    try {
      context = new AudioContext();
      await context.audioWorklet.addModule(new URL('./mic-worklet.js', import.meta.url));
      const node = new AudioWorkletNode(context, MIC_PROCESSOR);
      const channel = new MessageChannel();
      node.port.postMessage({ type: 'connect', audio: channel.port1 } satisfies ToMicWorklet, [channel.port1]);
      // The node's output stays silent; connecting it makes every browser run it.
      context.createMediaStreamSource(stream).connect(node).connect(context.destination);
      await context.resume();
      // Nothing can fail from here on; the chunks posted meanwhile wait in the channel.
      this.events = [];
      this.audio = undefined;
      const ended = new Promise<void>((resolve, reject) => { this.settle = (error) => (error ? reject(new Error(error)) : resolve()); });
      this.send({ type: 'live-start', audio: channel.port2, sampleRate: context.sampleRate, keepAudio: this.keepAudio }, [channel.port2]);
      for (const t of stream.getAudioTracks()) t.addEventListener('ended', () => void this.stop('The microphone was disconnected.'));
      this.mic = { stream, context, node, ended };
      this.el.partial.textContent = '';
      this.show('on', `Listening (${context.sampleRate} Hz)… pause between sentences.`);
      ended.catch(() => void this.stop()); // the worker failed: release the microphone and say why
    } catch (err) {
      stream.getTracks().forEach((t) => t.stop());
      void context?.close();
      this.fail(`Could not start live captions: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Stops the microphone; resolves once the last final is shown. */
  async stop(why?: string): Promise<void> {
    const mic = this.mic;
    if (this.state !== 'on' || !mic) return;
    this.show('stopping', 'Finishing the last sentence…');
    mic.stream.getTracks().forEach((t) => t.stop());
    mic.node.port.postMessage({ type: 'stop' } satisfies ToMicWorklet);
    try {
      await mic.ended;
      this.show('off', why ?? 'Stopped. Press Start to go on.');
    } catch (err) {
      this.fail(`Live captions stopped: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.mic = undefined;
      mic.node.disconnect();
      void mic.context.close();
    }
  }

  private send(m: ToWorker, transfer: Transferable[]): void {
    this.worker.postMessage(m, { transfer });
  }

  private fromWorker(m: FromWorker): void {
    if (m.type === 'live') {
      for (const e of m.events) this.showEvent(e);
    } else if (m.type === 'live-ended') {
      if (m.audio) this.audio = { samples: m.audio, sampleRate: m.sampleRate };
      this.settle?.();
    } else if (m.type === 'live-failed') {
      this.settle?.(m.message);
    }
  }

  private showEvent(e: StreamEvent): void {
    this.events.push(e);
    if (e.type === 'partial') {
      this.el.partial.textContent = e.text;
      return;
    }
    this.el.finals.append(finalLine(e));
    this.el.partial.textContent = '';
  }

  private show(state: LiveState, message: string): void {
    this.state = state;
    document.body.dataset['live'] = state;
    delete document.body.dataset['liveError'];
    this.el.status.textContent = message;
    this.el.button.textContent = state === 'off' ? '● Start live captions' : '■ Stop';
    this.el.button.classList.toggle('recording', state !== 'off');
    this.el.button.disabled = state === 'starting' || state === 'stopping';
  }

  private fail(message: string): void {
    this.show('off', message);
    document.body.dataset['liveError'] = 'true';
  }
}

/** A final as a line: its text, then its start and end on the stream's clock. */
function finalLine(e: FinalEvent): HTMLElement {
  const line = document.createElement('p');
  line.className = 'final';
  const time = document.createElement('small');
  time.textContent = `${e.start.toFixed(1)}–${e.end.toFixed(1)} s`;
  line.append(e.text, ' ', time);
  return line;
}
