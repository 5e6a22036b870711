import type {TensorStore} from '../tensors.js'

/** The file formats alignctl reads weights from. */
export type CheckpointFormat = 'pytorch' | 'safetensors'

/** A {@link TensorStore} over one checkpoint file. */
export interface CheckpointStore extends TensorStore {
  readonly file: string
  readonly format: CheckpointFormat
}

/** The message for a name the store does not hold: a few of the names it does hold. */
export function missingTensorMessage(file: string, name: string, names: readonly string[]): string {
  const sample = names.slice(0, 5).map((known) => `"${known}"`).join(', ')
  return `${file}: no tensor named "${name}" (the file has ${names.length}${names.length > 0 ? `, such as ${sample}` : ''}).`
}
