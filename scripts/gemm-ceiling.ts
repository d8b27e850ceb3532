/**
 * The native GEMM against this machine's single-core sgemm ceiling: C = A·B for square float32 matrices on one
 * thread, keras-gru's native kernel beside ONNX Runtime's MatMul (MLAS, hand-tuned assembly for this CPU: the
 * practical ceiling on a machine without a vendor BLAS), interleaved, min and median of the repetitions.
 * Run with `npx tsx scripts/gemm-ceiling.ts [N ...]` (default 256 512 1024).
 */
import * as ort from 'onnxruntime-node';
import { Dense, Sequential, input } from '../src/index.js';
import { nativeAddon } from '../src/backend/native/addon.js';
import { seededUniform } from '../bench/lib/data.js';
import { maxAbsDiff, median, min } from '../bench/lib/stats.js';

const addon = nativeAddon();
if (addon === null) {
  console.error('the native addon is not built (npm run build:native)');
  process.exit(1);
}
const sizes = process.argv.slice(2).map(Number);
const REPS = 15;

function random(length: number, seed: number): Float32Array {
  const next = seededUniform(seed);
  return Float32Array.from({ length }, () => next() - 0.5);
}

const gflops = (n: number, ms: number) => (2 * n ** 3) / (ms * 1e6);

console.log(`single-core sgemm, ${addon.info().isa}; GFLOP/s as min-time (median-time)`);
console.log('    N   keras-gru native   onnxruntime MLAS   native ÷ MLAS');
for (const n of sizes.length > 0 ? sizes : [256, 512, 1024]) {
  const a = random(n * n, 1);
  // A Dense layer without bias is one MatMul in ONNX: its kernel is B.
  const model = new Sequential([input({ shape: [n] }), new Dense({ units: n, useBias: false })]);
  const kernel = model.layers[0]!.getWeights()[0]!.dataSync() as Float32Array;
  const session = await ort.InferenceSession.create(model.toOnnx(), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
  });
  const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', a, [n, n]) };
  const out = new Float32Array(n * n);
  const times = { native: [] as number[], ort: [] as number[] };
  for (let rep = -2; rep < REPS; rep++) {
    let t0 = performance.now();
    addon.matMul(a, kernel, out, n, n, n, false, false);
    const tNative = performance.now() - t0;
    t0 = performance.now();
    const result = await session.run(feeds);
    const tOrt = performance.now() - t0;
    if (rep === -1) {
      // Checked once, after the warm-up (maxAbsDiff says Infinity for a NaN).
      const worst = maxAbsDiff(out, result[session.outputNames[0]!]!.data as Float32Array);
      if (!(worst <= 1e-3)) throw new Error(`N=${n}: native and ORT disagree by ${worst}`);
    }
    if (rep < 0) continue;
    times.native.push(tNative);
    times.ort.push(tOrt);
  }
  const cell = (ts: number[]) => `${gflops(n, min(ts)).toFixed(0)} (${gflops(n, median(ts)).toFixed(0)})`.padStart(18);
  const ratio = min(times.ort) / min(times.native);
  console.log(`${String(n).padStart(5)} ${cell(times.native)} ${cell(times.ort)} ${ratio.toFixed(2).padStart(14)}×`);
  await session.release();
}
