/**
 * Slots of the kernels' parameter block (i32 each), as src/backend/wasm/assembly/gru-layout.ts defines them, and the
 * gate-padded layout both sides share: a gate block of U units is widened to Up = roundUp(U, 8) columns.
 */
export const P = {
  B: 0,
  T: 1,
  I: 2,
  U: 3,
  B0: 4,
  B1: 5,
  FLAGS: 6,
  ACT: 7,
  RACT: 8,
} as const;

/** gruForward */
export const F = {
  X: 9,
  W: 10,
  R: 11,
  BIAS: 12,
  RBIAS: 13,
  H0: 14,
  MASK: 15,
  XPROJ: 16,
  REC: 17,
  H: 18,
  PREV: 19,
  TMP: 20,
  OUT: 21,
  C_HPREV: 22,
  C_Z: 23,
  C_R: 24,
  C_HH: 25,
  C_INNER: 26,
  APACK: 27,
} as const;

/** gruBackwardSteps / gruBackwardWeights */
export const K = {
  X: 9,
  WT: 10,
  RT: 11,
  MASK: 12,
  DOUTPUTS: 13,
  DLAST: 14,
  DSTATE: 15,
  C_HPREV: 16,
  C_Z: 17,
  C_R: 18,
  C_HH: 19,
  C_INNER: 20,
  DH: 21,
  DOUT: 22,
  DREC: 23,
  DINNER: 24,
  DXPROJ: 25,
  DRECALL: 26,
  APACK: 27,
  BPACK: 28,
  DX: 29,
  DKERNEL: 30,
  DRK: 31,
  DBIAS: 32,
  DRBIAS: 33,
  C0: 34,
  C1: 35,
} as const;

export const FLAG = {
  RESET_AFTER: 1,
  GO_BACKWARDS: 2,
  RETURN_SEQUENCES: 4,
  ZERO_OUTPUT_FOR_MASK: 8,
  SAVE: 16,
} as const;

export const roundUp8 = (n: number): number => (n + 7) & ~7;

/** Bytes of B panels for K rows × N columns (columns padded to 8). */
export const panelBytes = (K: number, N: number): number => 4 * K * roundUp8(N);
