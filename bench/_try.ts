import * as tf from '@tensorflow/tfjs';
await tf.setBackend('cpu');
const h0 = tf.randomNormal([1, 128]) as tf.Tensor2D;
const k = tf.randomNormal([32, 384]) as tf.Tensor2D;
const rk = tf.randomNormal([128, 384]) as tf.Tensor2D;
const x = tf.randomNormal([1, 32]) as tf.Tensor2D;
for (let rep = 0; rep < 3; rep++) {
  let t0 = performance.now();
  for (let i = 0; i < 20; i++) tf.tidy(() => tf.matMul(h0, rk).dataSync());
  console.log('matMul [1,128]x[128,384]', ((performance.now() - t0) / 20).toFixed(3), 'ms');
  t0 = performance.now();
  for (let i = 0; i < 20; i++) tf.tidy(() => tf.matMul(x, k).dataSync());
  console.log('matMul [1,32]x[32,384]', ((performance.now() - t0) / 20).toFixed(3), 'ms');
  t0 = performance.now();
  for (let i = 0; i < 20; i++) tf.tidy(() => tf.sigmoid(h0).dataSync());
  console.log('sigmoid', ((performance.now() - t0) / 20).toFixed(3), 'ms');
  t0 = performance.now();
  for (let i = 0; i < 20; i++) tf.tidy(() => tf.split(rk, [256, 128], 1)[0]!.dataSync());
  console.log('split rk', ((performance.now() - t0) / 20).toFixed(3), 'ms');
}
