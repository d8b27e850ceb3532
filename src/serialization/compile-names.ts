/**
 * The strings `compile()` accepts for losses and metrics: Keras class names (`'MeanSquaredError'`), and Keras's
 * function names and short aliases (`'mean_squared_error'`, `'mse'`), each standing for a class whose options
 * take a `name`. Only a table's own names count (`'constructor'` is not a loss).
 */

/** A loss or metric class; `name` names the instance. */
export type NamedClass<T> = new (options: { name?: string }) => T;

export interface CompileNames<T> {
  /** Keras class name → class. */
  readonly classes: ReadonlyMap<string, NamedClass<T>>;
  /** Function name or alias → class. */
  readonly aliases: ReadonlyMap<string, NamedClass<T>>;
  /** The lowercase aliases, quoted and comma-separated, for an UnknownNameError: `"mse", "mae"`. */
  readonly describeAliases: () => string;
}

/** `classes` by Keras class name; `aliases` name one of those classes each. */
export function compileNames<T, C extends string>(
  classes: Readonly<Record<C, NamedClass<T>>>,
  aliases: Readonly<Record<string, NoInfer<C>>>,
): CompileNames<T> {
  const byClassName = new Map<string, NamedClass<T>>(Object.entries<NamedClass<T>>(classes));
  const byAlias = new Map<string, NamedClass<T>>(
    Object.entries<C>(aliases).map(([alias, className]) => [alias, byClassName.get(className)!]),
  );
  return {
    classes: byClassName,
    aliases: byAlias,
    describeAliases: () =>
      [...byAlias.keys()]
        .filter((n) => n === n.toLowerCase())
        .map((n) => JSON.stringify(n))
        .join(', '),
  };
}
