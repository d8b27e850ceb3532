/**
 * ONNX protobuf messages, built with the schema that `onnx-buf` generates from ONNX's own `onnx.proto`
 * (ONNX 1.20) for `@bufbuild/protobuf`. This module only makes messages and serializes a model; what goes in
 * the graph is decided elsewhere.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import {
  AttributeProtoSchema,
  AttributeProto_AttributeType,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  StringStringEntryProtoSchema,
  TensorProtoSchema,
  TensorProto_DataType,
  TensorShapeProtoSchema,
  TensorShapeProto_DimensionSchema,
  TypeProtoSchema,
  TypeProto_TensorSchema,
  ValueInfoProtoSchema,
  type AttributeProto,
  type GraphProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from 'onnx-buf';

/** The element types the exporter writes. */
export type OnnxDType = 'float32' | 'int32' | 'int64' | 'bool';

const ELEM_TYPE: Record<OnnxDType, TensorProto_DataType> = {
  float32: TensorProto_DataType.FLOAT,
  int32: TensorProto_DataType.INT32,
  int64: TensorProto_DataType.INT64,
  bool: TensorProto_DataType.BOOL,
};

/** An attribute value: a number is an int unless marked float; arrays are ints; strings; a list of strings. */
export type AttributeValue =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'strings'; value: readonly string[] };

const encoder = new TextEncoder();

export function attribute(name: string, a: AttributeValue): AttributeProto {
  switch (a.kind) {
    case 'int':
      return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INT, i: BigInt(a.value) });
    case 'float':
      return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.FLOAT, f: a.value });
    case 'string':
      return create(AttributeProtoSchema, {
        name,
        type: AttributeProto_AttributeType.STRING,
        s: encoder.encode(a.value),
      });
    case 'ints':
      return create(AttributeProtoSchema, {
        name,
        type: AttributeProto_AttributeType.INTS,
        ints: a.value.map((v) => BigInt(v)),
      });
    case 'floats':
      return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.FLOATS, floats: [...a.value] });
    case 'strings':
      return create(AttributeProtoSchema, {
        name,
        type: AttributeProto_AttributeType.STRINGS,
        strings: a.value.map((s) => encoder.encode(s)),
      });
  }
}

export function nodeProto(
  opType: string,
  inputs: readonly string[],
  outputs: readonly string[],
  name: string,
  attributes: Readonly<Record<string, AttributeValue>> = {},
): NodeProto {
  return create(NodeProtoSchema, {
    opType,
    name,
    input: [...inputs],
    output: [...outputs],
    attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
  });
}

/** A tensor with its values stored little-endian in `raw_data`. */
export function tensorProto(
  name: string,
  dtype: OnnxDType,
  dims: readonly number[],
  values: ArrayLike<number | bigint>,
): TensorProto {
  const count = dims.reduce((a, b) => a * b, 1);
  if (values.length !== count)
    throw new RangeError(`tensor '${name}': ${values.length} values for dims [${dims.join(', ')}]`);
  const width = dtype === 'int64' ? 8 : dtype === 'bool' ? 1 : 4;
  const raw = new Uint8Array(new ArrayBuffer(count * width));
  const view = new DataView(raw.buffer);
  for (let i = 0; i < count; i++) {
    const v = values[i]!;
    if (dtype === 'float32') view.setFloat32(i * 4, Number(v), true);
    else if (dtype === 'int32') view.setInt32(i * 4, Number(v), true);
    else if (dtype === 'int64') view.setBigInt64(i * 8, BigInt(v), true);
    else view.setUint8(i, Number(v) !== 0 ? 1 : 0);
  }
  return create(TensorProtoSchema, {
    name,
    dataType: ELEM_TYPE[dtype],
    dims: dims.map((d) => BigInt(d)),
    rawData: raw,
  });
}

/** A graph input or output: its element type and shape (a string dimension is symbolic, e.g. `batch`). */
export function valueInfo(name: string, dtype: OnnxDType, shape: readonly (number | string)[]): ValueInfoProto {
  const dims = shape.map((d) =>
    create(TensorShapeProto_DimensionSchema, {
      value: typeof d === 'number' ? { case: 'dimValue', value: BigInt(d) } : { case: 'dimParam', value: d },
    }),
  );
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: {
        case: 'tensorType',
        value: create(TypeProto_TensorSchema, {
          elemType: ELEM_TYPE[dtype],
          shape: create(TensorShapeProtoSchema, { dim: dims }),
        }),
      },
    }),
  });
}

export interface GraphParts {
  name: string;
  nodes: NodeProto[];
  initializers: TensorProto[];
  inputs: ValueInfoProto[];
  outputs: ValueInfoProto[];
}

export function graphProto(parts: GraphParts): GraphProto {
  return create(GraphProtoSchema, {
    name: parts.name,
    node: parts.nodes,
    initializer: parts.initializers,
    input: parts.inputs,
    output: parts.outputs,
  });
}

export interface ModelParts {
  graph: GraphProto;
  opsetVersion: number;
  producerName: string;
  producerVersion: string;
  docString?: string;
  metadata?: Readonly<Record<string, string>>;
}

/**
 * IR version 8 (ONNX 1.10+) is what opset 14 needs at least; runtimes from 2021 on read it.
 */
export const IR_VERSION = 8;

/** The serialized `ModelProto`. */
export function serializeModel(parts: ModelParts): Uint8Array {
  const model = create(ModelProtoSchema, {
    irVersion: BigInt(IR_VERSION),
    opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(parts.opsetVersion) })],
    producerName: parts.producerName,
    producerVersion: parts.producerVersion,
    docString: parts.docString ?? '',
    graph: parts.graph,
    metadataProps: Object.entries(parts.metadata ?? {}).map(([key, value]) =>
      create(StringStringEntryProtoSchema, { key, value }),
    ),
  });
  return toBinary(ModelProtoSchema, model);
}
