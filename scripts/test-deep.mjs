#!/usr/bin/env node
/**
 * npm run test:deep [-- --seed <integer>] [vitest options]
 *
 * The property, model-based and hostile-input suites with many more runs than `npm test` (100,000 command
 * sequences, 1,000,000 hostile inputs). One seed drives every suite; it is printed first, and a failure prints
 * it again with the shrunk counterexample, so any run can be repeated: `npm run test:deep -- --seed 42`.
 * The seed may also come from the environment: `AGENT_PRESENCE_SEED=42 npm run test:deep`.
 */
import { spawnSync } from 'node:child_process';

const SUITES = [
  'test/core/machine-agrees-with-reference-model.test.ts',
  'test/schema/hostile-input-never-escapes.test.ts',
  'test/core/presence-invariants.property.test.ts',
  'test/testing/testing-kit-generators.test.ts',
  'test/core/ids-are-data.test.ts',
];

let seed = process.env.AGENT_PRESENCE_SEED;
const passThrough = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === '--seed') seed = args[++i];
  else if (arg.startsWith('--seed=')) seed = arg.slice('--seed='.length);
  else passThrough.push(arg);
}
if (seed === undefined || seed === '') seed = String((Math.random() * 2 ** 32) | 0);
if (!/^-?\d+$/.test(seed)) {
  console.error(`--seed must be an integer (got ${JSON.stringify(seed)})`);
  process.exit(2);
}

console.info(`test:deep with seed ${seed} (repeat with: npm run test:deep -- --seed ${seed})`);
const started = Date.now();
const result = spawnSync('npx', ['vitest', 'run', '--testTimeout=3600000', ...SUITES, ...passThrough], {
  stdio: 'inherit',
  env: { ...process.env, AGENT_PRESENCE_PROPERTY_PROFILE: 'deep', AGENT_PRESENCE_SEED: seed },
});
console.info(`test:deep with seed ${seed}: ${result.status === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(result.status ?? 1);
