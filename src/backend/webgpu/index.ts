export { requestWebGpuDevice } from './device.js';
export { WebGpuKernels, type GpuTensor, type GpuView } from './webgpu-kernels.js';
