/**
 * The WebGPU flag values (fixed by the spec). Node's Dawn does not install the
 * GPUBufferUsage / GPUMapMode globals unless asked, so the kernels use these.
 */
export const BufferUsage = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;
export const MapModeRead = 0x1;
