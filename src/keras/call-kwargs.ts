/**
 * Layer-specific call options as Keras writes them in a node's `kwargs` (snake_case): the options a layer
 * lists in `callOptionNames` (camelCase), each with its Keras name. `training`, `mask` and `initial_state`
 * are not here: every layer has them, and model-serialization.ts / functional-config.ts treat them apart.
 */

/** camelCase call option → Keras kwarg. */
const KWARG_OF_OPTION: Readonly<Record<string, string>> = {
  useCausalMask: 'use_causal_mask',
  returnAttentionScores: 'return_attention_scores',
};

const OPTION_OF_KWARG: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(KWARG_OF_OPTION).map(([option, kwarg]) => [kwarg, option]),
);

/** The Keras kwarg of a call option, or undefined for an option Keras's format does not name. */
export function kwargOfCallOption(option: string): string | undefined {
  return Object.hasOwn(KWARG_OF_OPTION, option) ? KWARG_OF_OPTION[option] : undefined;
}

/** The call option a Keras kwarg stands for, or undefined for a kwarg keras-gru does not know. */
export function callOptionOfKwarg(kwarg: string): string | undefined {
  return Object.hasOwn(OPTION_OF_KWARG, kwarg) ? OPTION_OF_KWARG[kwarg] : undefined;
}
