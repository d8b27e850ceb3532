/**
 * Every test file runs with the library wired as its users get it: importing the entry point installs the Keras
 * wire format and the model services (src/index.ts), which tests that import a layer or model module directly
 * rely on. test/wiring.test.ts checks that the entry point is what installs them.
 */
import '../src/index.js';
