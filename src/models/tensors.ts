/**
 * Tensors as the model store sees them: named, typed, shaped, and read only when asked.
 * Checkpoint readers (PyTorch zip, safetensors) implement {@link TensorStore}; the ONNX graph
 * builder consumes one, so neither knows about the other.
 */

/** Element types a checkpoint can hold that the store reads. */
export type TensorDType = 'float32' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool' | 'float64'

export interface TensorInfo {
  name: string
  dtype: TensorDType
  /** Dimensions, outermost first; [] for a scalar. */
  shape: readonly number[]
}

/** A read-only collection of named tensors whose bytes are loaded lazily, one tensor at a time. */
export interface TensorStore {
  /** Every tensor name, in the order the file lists them. */
  names(): readonly string[]
  /** Type and shape without reading data; undefined when there is no such tensor. */
  info(name: string): TensorInfo | undefined
  /** The tensor's elements as float32 (converted from fp16/bf16/fp64), row-major, contiguous. */
  readFloat32(name: string): Promise<Float32Array>
  /** The tensor's raw bytes in its own dtype, little-endian, row-major, contiguous. */
  readBytes(name: string): Promise<Uint8Array>
  /** Releases file handles. */
  close(): Promise<void>
}
