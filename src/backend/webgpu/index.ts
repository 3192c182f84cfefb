export { requestWebGpuDevice } from './device.js';
export { WebGpuKernels, type GpuTensor, type GpuView, type KernelSources } from './webgpu-kernels.js';
export { WebGpuBackend } from './webgpu-backend.js';
