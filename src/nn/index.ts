/**
 * sayre/nn: layers as forward/backward pairs over flat Float32Arrays.
 * @packageDocumentation
 */
export { Parameters } from './parameters.js';
export type { ParamEntry, ParamSpec } from './parameters.js';
export { Linear, linearBackward, linearForward, linearParamSpecs } from './linear.js';
export { LstmLayer, lstmLayerParamSpecs } from './lstm.js';
export type { LstmDirections, RecurrentLayer } from './lstm.js';
export { LatencyControlledLstmLayer } from './lstm-latency.js';
export { chunkPlan, resolveLatencyControl } from './lstm-latency-plan.js';
export type { ChunkPlan, LatencyControl } from './lstm-latency-plan.js';
export { LstmStack, lstmStackParamSpecs } from './lstm-stack.js';
export type { LstmStackConfig } from './lstm-stack.js';
export { pack, packedLayout, unpack } from './packing.js';
export type { PackedLayout } from './packing.js';
export { Workspace } from './workspace.js';
export { conv2dBackward, conv2dForward, conv2dOutputShape, conv2dParamSpecs, convOutSize } from './conv2d.js';
export type { Conv2dGeometry, ImageBatchShape, Window2d } from './conv2d.js';
export { maxPool2dBackward, maxPool2dForward, maxPool2dOutputShape } from './max-pool2d.js';
export type { MaxPool2dGeometry } from './max-pool2d.js';
export { reluBackward, reluForward } from './relu.js';
export { embeddingBackward, embeddingForward, embeddingParamSpecs } from './embedding.js';
export { lstmStackStep, lstmStackStepBatch, lstmStackWeights, lstmZeroState } from './lstm-step.js';
export type { LstmLayerWeights, LstmState } from './lstm-step.js';
export { lstmStackChunk, lstmStackChunks } from './lstm-chunk.js';
export type { LstmChunk } from './lstm-chunk.js';
export { latencyStackChunks, latencyStackWeights, latencyZeroState } from './lstm-latency-stream.js';
export type { LatencyChunk, LatencyLayerState, LatencyStackWeights, LatencyStreamState } from './lstm-latency-stream.js';
