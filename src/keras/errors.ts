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
    const shown = details.known.slice(0, 12).join(', ');
    super({
      argument: `class_name of layer '${details.layerName}'`,
      expected:
        `a layer class keras-gru knows (${shown}${details.known.length > 12 ? ', ...' : ''}); ` +
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

/** A layer's config was refused by its class (a bad value, an unsupported option); `cause` has the details. */
export class LayerConfigError extends FileFormatError {
  readonly layer: string;
  readonly className: string;

  constructor(details: { file: string; member?: string; path: string; layer: string; className: string; cause: unknown }) {
    const reason = details.cause instanceof Error ? details.cause.message : String(details.cause);
    super(`layer '${details.layer}' (${details.className}): ${reason}`, details);
    this.layer = details.layer;
    this.className = details.className;
  }
}
