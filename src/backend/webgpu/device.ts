/** The npm `webgpu` package (Dawn) as far as sayre uses it. */
interface DawnModule {
  create(options: string[]): GPU;
}

/**
 * A WebGPU device: the browser's navigator.gpu, else in Node the optional npm package
 * `webgpu` (Dawn). Rejects with an error that names what is missing: the package, or an
 * adapter (on a machine without a GPU, Dawn needs a Vulkan driver such as SwiftShader,
 * chosen with VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json).
 */
export async function requestWebGpuDevice(): Promise<GPUDevice> {
  const gpu = await findGpu();
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    throw new Error('WebGPU: no adapter. Without a GPU, set VK_ICD_FILENAMES to a Vulkan '
      + 'driver that runs on the CPU, e.g. /usr/lib/chromium/vk_swiftshader_icd.json (Debian chromium)');
  }
  // Ask for the adapter's storage-buffer limits: the defaults (128 MiB) are below real layers' needs.
  return adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
}

/**
 * Dawn's GPU object, kept for the life of the process: once it is garbage collected, Dawn
 * stops processing the device's events and the next mapAsync crashes the process.
 */
let dawnGpu: GPU | undefined;

async function findGpu(): Promise<GPU> {
  if (dawnGpu) return dawnGpu;
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return nav.gpu;
  // A variable specifier keeps the optional package out of the type check and the bundle.
  const spec = 'webgpu';
  let mod: DawnModule;
  try {
    mod = await import(spec) as DawnModule;
  } catch (e) {
    throw new Error(`WebGPU: no navigator.gpu and the optional npm package 'webgpu' does not load (${(e as Error).message})`);
  }
  dawnGpu = mod.create([]);
  return dawnGpu;
}
