import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { WebGpuKernels } from '../../src/backend/index.js';

/** Debian chromium's SwiftShader: a Vulkan driver on the CPU, through which Dawn runs WGSL here. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * WebGPU kernels through SwiftShader (or the VK_ICD_FILENAMES already set), or the reason
 * they cannot run here: no SwiftShader ICD (chromium not installed) or no npm `webgpu`.
 */
export async function webgpuForTests(): Promise<{ kernels?: WebGpuKernels; skip?: string }> {
  if (!process.env.VK_ICD_FILENAMES) {
    if (!existsSync(SWIFTSHADER_ICD)) return { skip: `no ${SWIFTSHADER_ICD} (apt-get install chromium) and VK_ICD_FILENAMES unset` };
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD; // read by Dawn when it loads, below
  }
  try {
    createRequire(import.meta.url).resolve('webgpu');
  } catch {
    return { skip: "the optional npm package 'webgpu' is not installed" };
  }
  return { kernels: await WebGpuKernels.create() };
}
