import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { WebGpuBackend, WebGpuKernels } from '../../src/backend/index.js';

/** Debian chromium's SwiftShader: a Vulkan driver on the CPU, through which Dawn runs WGSL here. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Why WebGPU cannot run in this process, or undefined when it can try (the ICD variable is set). */
function missing(): string | undefined {
  if (!process.env.VK_ICD_FILENAMES) {
    if (!existsSync(SWIFTSHADER_ICD)) return `no ${SWIFTSHADER_ICD} (apt-get install chromium) and VK_ICD_FILENAMES unset`;
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD; // read by Dawn when it loads, below
  }
  try {
    createRequire(import.meta.url).resolve('webgpu');
  } catch {
    return "the optional npm package 'webgpu' is not installed";
  }
  return undefined;
}

/** With SAYRE_BACKEND=webgpu a missing adapter is a failure, not a reason to skip. */
function required(reason: string): never {
  throw new Error(`SAYRE_BACKEND=webgpu but WebGPU cannot run here: ${reason}`);
}

const wanted = (): boolean => process.env.SAYRE_BACKEND === 'webgpu';

/**
 * WebGPU kernels through SwiftShader (or the VK_ICD_FILENAMES already set), or the reason
 * they cannot run here: no SwiftShader ICD (chromium not installed) or no npm `webgpu`.
 */
export async function webgpuForTests(): Promise<{ kernels?: WebGpuKernels; skip?: string }> {
  const why = missing();
  if (why) return wanted() ? required(why) : { skip: why };
  return { kernels: await WebGpuKernels.create() };
}

let shared: Promise<{ backend?: WebGpuBackend; skip?: string }> | undefined;

/** The webgpu backend (one per process), or why it cannot run here; rejects under SAYRE_BACKEND=webgpu. */
export function webgpuBackendForTests(): Promise<{ backend?: WebGpuBackend; skip?: string }> {
  shared ??= (async () => {
    const why = missing();
    if (why) return wanted() ? required(why) : { skip: why };
    try {
      return { backend: await WebGpuBackend.create() };
    } catch (e) {
      if (wanted()) throw e;
      return { skip: (e as Error).message };
    }
  })();
  return shared;
}
