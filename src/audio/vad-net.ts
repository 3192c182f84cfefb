/**
 * The trained VAD's network: normalised frame features -> Linear -> ReLU -> Linear -> one
 * logit (speech when sigmoid(logit) passes the threshold), as a forward/backward pair over
 * flat buffers. A frame's decision reads only that frame's row, so the network adds no
 * look-ahead to the (causal) features.
 */
import type { Backend } from '../backend/index.js';
import { Linear, linearParamSpecs } from '../nn/linear.js';
import type { ParamSpec, Parameters } from '../nn/parameters.js';
import { reluBackward, reluForward } from '../nn/relu.js';

/** Sizes of the network. */
export interface VadNetShape {
  /** Features per frame. */
  inputs: number;
  /** Hidden units. */
  hidden: number;
}

/** The parameters (PyTorch names: `hidden.weight` [hidden, inputs], `hidden.bias`, `output.weight` [1, hidden], `output.bias`). */
export function vadNetParamSpecs(shape: VadNetShape): ParamSpec[] {
  return [...linearParamSpecs('hidden.', shape.inputs, shape.hidden), ...linearParamSpecs('output.', shape.hidden, 1)];
}

/** The network bound to its parameters. */
export class VadNet {
  private readonly hiddenLayer: Linear;
  private readonly outputLayer: Linear;

  constructor(readonly backend: Backend, params: Parameters, readonly shape: VadNetShape) {
    this.hiddenLayer = new Linear(backend, params, 'hidden.', shape.inputs, shape.hidden);
    this.outputLayer = new Linear(backend, params, 'output.', shape.hidden, 1);
  }

  /** x [rows, inputs] (normalised) -> h [rows, hidden] (after the ReLU), logits [rows]. */
  forward(rows: number, x: Float32Array, h: Float32Array, logits: Float32Array): void {
    this.hiddenLayer.forward(rows, x, h);
    reluForward(this.backend, rows * this.shape.hidden, h, h);
    this.outputLayer.forward(rows, h, logits);
  }

  /** Accumulates the parameters' gradients from dLogits [rows]; dh [rows, hidden] is scratch. */
  backward(rows: number, x: Float32Array, h: Float32Array, dLogits: Float32Array, dh: Float32Array): void {
    this.outputLayer.backward(rows, h, dLogits, dh);
    reluBackward(this.backend, rows * this.shape.hidden, h, dh, dh);
    this.hiddenLayer.backward(rows, x, dh, null);
  }
}
