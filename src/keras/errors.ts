/**
 * Errors of reading a model config: a layer class nobody registered, a layer whose config its class refuses.
 * Both name the file (`<config>` for a config given directly), the JSON path of the entry and the layer.
 */
import { UnknownNameError } from '../errors.js';
import { FileFormatError } from '../io/errors.js';

export interface UnknownLayerDetails {
  className: string;
  /** The entry's layer name ('' when the entry has none). */
  layerName: string;
  file: string;
  /** JSON path of the entry in the model config, e.g. `$.config.layers[3]`. */
  path: string;
  /** The class names that would have been understood. */
  known: readonly string[];
}

/** A model config names a layer class that is neither built in nor registered (`registerLayerClass`, `customObjects`). */
export class UnknownLayerError extends UnknownNameError {
  readonly className: string;
  readonly layerName: string;
  readonly file: string;
  readonly path: string;

  constructor(details: UnknownLayerDetails) {
    // Every known name: the list grows with the built-in table and what is registered.
    const shown = details.known.join(', ');
    super({
      argument: `class_name of layer '${details.layerName}'`,
      expected:
        `a layer class keras-gru knows (${shown}); ` +
        `register others with registerLayerClass('${details.className}', cls) or pass customObjects: { ${details.className}: cls }`,
      received: details.className,
      context: `${details.file}: ${details.path}`,
    });
    this.className = details.className;
    this.layerName = details.layerName;
    this.file = details.file;
    this.path = details.path;
  }
}

/**
 * A `Lambda` layer: its function is Python code (marshalled bytecode or a Python function name), which no
 * JavaScript reader can run. Registering a class as 'Lambda' (registerLayerClass or customObjects) replaces it.
 */
export class LambdaLayerError extends UnknownLayerError {
  constructor(details: UnknownLayerDetails) {
    super(details);
    this.message =
      `${details.file}: ${details.path}: layer '${details.layerName}' is a Lambda layer, whose function is Python code ` +
      'that keras-gru cannot deserialize; rebuild that step from built-in layers, or write it as a layer class and ' +
      "register it with registerLayerClass('Lambda', cls) or customObjects: { Lambda: cls }";
  }
}

/** A layer's config was refused by its class (a bad value, an unsupported option); `cause` has the details. */
export class LayerConfigError extends FileFormatError {
  readonly layer: string;
  readonly className: string;

  constructor(details: {
    file: string;
    member?: string;
    path: string;
    layer: string;
    className: string;
    cause: unknown;
  }) {
    const reason = details.cause instanceof Error ? details.cause.message : String(details.cause);
    super(`layer '${details.layer}' (${details.className}): ${reason}`, details);
    this.layer = details.layer;
    this.className = details.className;
  }
}
