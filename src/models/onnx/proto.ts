/**
 * The subset of onnx.proto (IR version 8+) that alignctl writes and reads back, as protobufjs
 * reflection types. Field numbers are the official ones; field names are camelCase here (names
 * never reach the wire). Only what the graph builder needs is declared: no sparse tensors,
 * functions, training info or sequence/map types.
 */
import protobuf from 'protobufjs'

/** TensorProto.DataType values used by the builder. */
export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
} as const
export type DataType = (typeof DataType)[keyof typeof DataType]

/** AttributeProto.AttributeType values used by the builder. */
export const AttributeType = {FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7} as const
export type AttributeType = (typeof AttributeType)[keyof typeof AttributeType]

/** TensorProto.DataLocation */
export const DataLocation = {DEFAULT: 0, EXTERNAL: 1} as const

export interface StringStringEntryProto {
  key: string
  value: string
}

export interface OperatorSetIdProto {
  /** '' or absent: the default ai.onnx domain. */
  domain?: string
  version: number
}

export interface TensorProto {
  name: string
  dims: number[]
  dataType: DataType
  rawData?: Uint8Array
  /** location / offset / length (and optionally checksum), when dataLocation is EXTERNAL. */
  externalData?: StringStringEntryProto[]
  dataLocation?: number
}

export interface AttributeProto {
  name: string
  type: AttributeType
  f?: number
  i?: number
  s?: Uint8Array
  t?: TensorProto
  floats?: number[]
  ints?: number[]
}

export interface NodeProto {
  input: string[]
  output: string[]
  name: string
  opType: string
  domain?: string
  attribute?: AttributeProto[]
}

/** One axis: a fixed size or a symbolic name such as "batch". */
export type DimensionProto = {dimValue: number} | {dimParam: string}

export interface ValueInfoProto {
  name: string
  type: {tensorType: {elemType: DataType; shape: {dim: DimensionProto[]}}}
}

export interface GraphProto {
  node: NodeProto[]
  name: string
  initializer?: TensorProto[]
  input: ValueInfoProto[]
  output: ValueInfoProto[]
  docString?: string
}

export interface ModelProto {
  irVersion: number
  opsetImport: OperatorSetIdProto[]
  producerName: string
  producerVersion: string
  docString?: string
  graph: GraphProto
  metadataProps?: StringStringEntryProto[]
}

// proto2 leaves repeated scalars unpacked unless the field says otherwise; onnx.proto packs
// only the *_data arrays, so the unpacked fields say so explicitly.
const unpacked = {packed: false}

const descriptor: protobuf.INamespace = {
  nested: {
    onnx: {
      nested: {
        StringStringEntryProto: {fields: {key: {type: 'string', id: 1}, value: {type: 'string', id: 2}}},
        OperatorSetIdProto: {fields: {domain: {type: 'string', id: 1}, version: {type: 'int64', id: 2}}},
        TensorProto: {
          fields: {
            dims: {rule: 'repeated', type: 'int64', id: 1, options: unpacked},
            dataType: {type: 'int32', id: 2},
            floatData: {rule: 'repeated', type: 'float', id: 4, options: {packed: true}},
            int32Data: {rule: 'repeated', type: 'int32', id: 5, options: {packed: true}},
            int64Data: {rule: 'repeated', type: 'int64', id: 7, options: {packed: true}},
            name: {type: 'string', id: 8},
            rawData: {type: 'bytes', id: 9},
            docString: {type: 'string', id: 12},
            externalData: {rule: 'repeated', type: 'StringStringEntryProto', id: 13},
            dataLocation: {type: 'int32', id: 14},
          },
        },
        AttributeProto: {
          fields: {
            name: {type: 'string', id: 1},
            f: {type: 'float', id: 2},
            i: {type: 'int64', id: 3},
            s: {type: 'bytes', id: 4},
            t: {type: 'TensorProto', id: 5},
            floats: {rule: 'repeated', type: 'float', id: 7, options: unpacked},
            ints: {rule: 'repeated', type: 'int64', id: 8, options: unpacked},
            strings: {rule: 'repeated', type: 'bytes', id: 9},
            docString: {type: 'string', id: 13},
            type: {type: 'int32', id: 20},
          },
        },
        NodeProto: {
          fields: {
            input: {rule: 'repeated', type: 'string', id: 1},
            output: {rule: 'repeated', type: 'string', id: 2},
            name: {type: 'string', id: 3},
            opType: {type: 'string', id: 4},
            attribute: {rule: 'repeated', type: 'AttributeProto', id: 5},
            docString: {type: 'string', id: 6},
            domain: {type: 'string', id: 7},
          },
        },
        TensorShapeProto: {
          fields: {dim: {rule: 'repeated', type: 'Dimension', id: 1}},
          nested: {
            Dimension: {
              oneofs: {value: {oneof: ['dimValue', 'dimParam']}},
              fields: {dimValue: {type: 'int64', id: 1}, dimParam: {type: 'string', id: 2}, denotation: {type: 'string', id: 3}},
            },
          },
        },
        TypeProto: {
          oneofs: {value: {oneof: ['tensorType']}},
          fields: {tensorType: {type: 'Tensor', id: 1}, denotation: {type: 'string', id: 6}},
          nested: {
            Tensor: {fields: {elemType: {type: 'int32', id: 1}, shape: {type: 'TensorShapeProto', id: 2}}},
          },
        },
        ValueInfoProto: {
          fields: {name: {type: 'string', id: 1}, type: {type: 'TypeProto', id: 2}, docString: {type: 'string', id: 3}},
        },
        GraphProto: {
          fields: {
            node: {rule: 'repeated', type: 'NodeProto', id: 1},
            name: {type: 'string', id: 2},
            initializer: {rule: 'repeated', type: 'TensorProto', id: 5},
            docString: {type: 'string', id: 10},
            input: {rule: 'repeated', type: 'ValueInfoProto', id: 11},
            output: {rule: 'repeated', type: 'ValueInfoProto', id: 12},
            valueInfo: {rule: 'repeated', type: 'ValueInfoProto', id: 13},
          },
        },
        ModelProto: {
          fields: {
            irVersion: {type: 'int64', id: 1},
            producerName: {type: 'string', id: 2},
            producerVersion: {type: 'string', id: 3},
            domain: {type: 'string', id: 4},
            modelVersion: {type: 'int64', id: 5},
            docString: {type: 'string', id: 6},
            graph: {type: 'GraphProto', id: 7},
            opsetImport: {rule: 'repeated', type: 'OperatorSetIdProto', id: 8},
            metadataProps: {rule: 'repeated', type: 'StringStringEntryProto', id: 14},
          },
        },
      },
    },
  },
}

// Compile once: resolving the reflection tree generates the encoders and decoders.
const root = protobuf.Root.fromJSON(descriptor).resolveAll()
const types = {
  ModelProto: root.lookupType('onnx.ModelProto'),
  GraphProto: root.lookupType('onnx.GraphProto'),
  TensorProto: root.lookupType('onnx.TensorProto'),
}

/** Field numbers the streaming writer emits by hand (see writer.ts). */
export const FieldNumber = {modelGraph: 7, graphInitializer: 5, tensorRawData: 9} as const

/** A model's own fields without its graph; the streaming writer appends the graph itself. */
export function encodeModelFields(fields: Omit<ModelProto, 'graph'>): Uint8Array {
  return types.ModelProto.encode(fields).finish()
}

export function encodeGraph(graph: GraphProto): Uint8Array {
  return types.GraphProto.encode(graph).finish()
}

export function encodeTensor(tensor: TensorProto): Uint8Array {
  return types.TensorProto.encode(tensor).finish()
}

/** Decodes a model (int64 fields as numbers, bytes as Uint8Array), for checks and tests. */
export function decodeModel(bytes: Uint8Array): ModelProto {
  const message = types.ModelProto.decode(bytes)
  return types.ModelProto.toObject(message, {longs: Number, arrays: true}) as ModelProto
}
