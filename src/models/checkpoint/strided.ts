/**
 * Strided layouts: torch tensors are views (offset, shape, strides in elements) into a flat
 * storage, and a view need not be contiguous (a transposed weight saved as-is).
 */

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((count, size) => count * size, 1)
}

/** Row-major contiguous strides for `shape`. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length)
  let step = 1
  for (let dim = shape.length - 1; dim >= 0; dim--) {
    strides[dim] = step
    step *= shape[dim] as number
  }

  return strides
}

/** True when the view is row-major contiguous; a size-1 dimension's stride does not matter. */
export function isContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  if (elementCount(shape) === 0) return true
  let expected = 1
  for (let dim = shape.length - 1; dim >= 0; dim--) {
    const size = shape[dim] as number
    if (size !== 1 && strides[dim] !== expected) return false
    expected *= size
  }

  return true
}

/** One past the highest element index (from the view's offset) that the view touches. */
export function stridedExtent(shape: readonly number[], strides: readonly number[]): number {
  if (elementCount(shape) === 0) return 0
  let last = 0
  for (let dim = 0; dim < shape.length; dim++) last += ((shape[dim] as number) - 1) * (strides[dim] as number)
  return last + 1
}

/**
 * Copies a strided view out of `source` (which starts at the view's offset) into a new
 * row-major buffer. Runs of the innermost dimension are copied whole when they are contiguous.
 */
export function gatherStrided(source: Uint8Array, elementSize: number, shape: readonly number[], strides: readonly number[]): Uint8Array {
  const count = elementCount(shape)
  const out = new Uint8Array(count * elementSize)
  if (count === 0) return out
  if (shape.length === 0) {
    out.set(source.subarray(0, elementSize))
    return out
  }

  const inner = shape.length - 1
  const innerSize = shape[inner] as number
  const innerStride = strides[inner] as number
  const runBytes = innerSize * elementSize
  const index = new Array<number>(inner).fill(0)
  let base = 0 // element index in `source` of the current run's first element
  for (let written = 0; written < out.length; written += runBytes) {
    if (innerStride === 1) {
      out.set(source.subarray(base * elementSize, base * elementSize + runBytes), written)
    } else {
      for (let i = 0; i < innerSize; i++) {
        const from = (base + i * innerStride) * elementSize
        out.set(source.subarray(from, from + elementSize), written + i * elementSize)
      }
    }

    // Odometer over the outer dimensions.
    for (let dim = inner - 1; dim >= 0; dim--) {
      const next = (index[dim] as number) + 1
      if (next < (shape[dim] as number)) {
        index[dim] = next
        base += strides[dim] as number
        break
      }

      base -= (index[dim] as number) * (strides[dim] as number)
      index[dim] = 0
    }
  }

  return out
}
