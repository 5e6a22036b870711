/**
 * Lazy references to torch storages and tensors, as the restricted unpickler rebuilds them:
 * where the bytes are, never the bytes.
 */
import type {TensorDType} from '../tensors.js'
import {HostValue} from './pickle/values.js'

/** One storage of a torch zip checkpoint: the entry `<archive>/data/<key>`. */
export class StorageRef extends HostValue {
  constructor(
    readonly key: string,
    /** Element type; undefined when the storage type is one alignctl does not read. */
    readonly dtype: TensorDType | undefined,
    /** The storage type as the pickle names it (`torch.HalfStorage`), for messages. */
    readonly typeName: string,
    /** Elements in the storage. */
    readonly numel: number,
  ) {
    super()
  }

  describe(): string {
    return `storage ${this.key} (${this.typeName})`
  }
}

/** A view into a storage: offset, shape and strides counted in elements, as torch keeps them. */
export class TensorRef extends HostValue {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: readonly number[],
    readonly strides: readonly number[],
  ) {
    super()
  }

  describe(): string {
    return `tensor ${this.storage.dtype ?? this.storage.typeName}[${this.shape.join(', ')}]`
  }
}
