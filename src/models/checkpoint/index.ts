/** Safe checkpoint readers: PyTorch zip checkpoints and safetensors as {@link TensorStore}s. */
export type {TensorDType, TensorInfo, TensorStore} from '../tensors.js'
export type {CheckpointFormat, CheckpointStore} from './checkpoint-store.js'
export {listInertGlobals, openCheckpoint, sniffCheckpoint, type CheckpointKind, type CheckpointOptions} from './open-checkpoint.js'
export {selectPrefix, topLevelPrefixes, type PrefixViewOptions} from './prefix-view.js'
export {SafetensorsStore} from './safetensors-store.js'
export {TorchCheckpointStore, type TorchCheckpointOptions} from './torch-store.js'
export {listedTorchGlobals} from './torch-globals.js'
export {DTYPE_SIZE, toFloat32} from './dtypes.js'
