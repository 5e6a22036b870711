import {usageError} from '../kernel/errors.js'

/** ONNX Runtime execution providers alignctl knows how to ask for. */
export type ProviderName = 'cpu' | 'cuda' | 'tensorrt' | 'webgpu'

/** `--device`: a provider, or `auto` (CUDA if it loads, else CPU). */
export type Device = 'auto' | ProviderName

export const DEVICES: readonly Device[] = ['auto', 'cpu', 'cuda', 'tensorrt', 'webgpu']

/** Providers to try, in order, for a `--device` value. */
export function providerOrder(device: Device): ProviderName[] {
  switch (device) {
    case 'auto':
      return ['cuda', 'cpu']
    case 'tensorrt':
      // Asked for explicitly: used alone, so a TensorRT that cannot load is an error, not a silent CPU run.
      return ['tensorrt']
    default:
      return [device]
  }
}

export function parseDevice(value: string): Device {
  if (!(DEVICES as readonly string[]).includes(value)) throw usageError(`--device ${value}: unknown device.`, `Use one of ${DEVICES.join(', ')}.`)
  return value as Device
}

/** Why a provider did not load, and what to do about it, in a sentence a person can act on. */
export function providerHint(provider: ProviderName): string {
  switch (provider) {
    case 'cuda':
    case 'tensorrt':
      return 'GPU support is an opt-in install (README, "GPU"): on a machine with CUDA 12 and cuDNN 9, run `ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js`, or put provider libraries already on the machine beside onnxruntime-node\'s and on LD_LIBRARY_PATH.'
    case 'webgpu':
      return 'WebGPU needs a Vulkan driver and loader (libvulkan1) on Linux; check `vulkaninfo`.'
    case 'cpu':
      return 'The CPU provider is built into onnxruntime-node; reinstall it with `npm ci`.'
  }
}

/** Record of how a session's provider was chosen, kept in the report. */
export interface ProviderChoice {
  /** The provider that ran. */
  provider: ProviderName
  /** Providers tried before it, with the reason each one failed. */
  fallbacks: Array<{provider: ProviderName; reason: string}>
}
