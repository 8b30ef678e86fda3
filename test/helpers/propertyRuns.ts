/**
 * How many runs the property and model-based suites make, and with which seed, by profile:
 *
 * - `ci` (default): the budget of `npm test`; a fresh random seed each run, printed by fast-check on failure.
 * - `deep` (`npm run test:deep`): many more runs; the seed is printed before the run, so even a run that passes
 *   can be repeated.
 * - `mutation` (`npm run test:mutation`): few runs and a fixed seed, so that every mutant meets the same inputs.
 *
 * Environment: `AGENT_PRESENCE_PROPERTY_PROFILE` (`ci`, `deep`, `mutation`), `AGENT_PRESENCE_SEED` (an integer).
 */
export type PropertyProfile = 'ci' | 'deep' | 'mutation';

const PROFILES: readonly PropertyProfile[] = ['ci', 'deep', 'mutation'];

function readProfile(): PropertyProfile {
  const value = process.env.AGENT_PRESENCE_PROPERTY_PROFILE ?? 'ci';
  if (!(PROFILES as readonly string[]).includes(value)) {
    throw new Error(`AGENT_PRESENCE_PROPERTY_PROFILE must be one of ${PROFILES.join(', ')} (got ${JSON.stringify(value)})`);
  }
  return value as PropertyProfile;
}

function readSeed(profile: PropertyProfile): number | undefined {
  const value = process.env.AGENT_PRESENCE_SEED;
  if (value !== undefined && value !== '') {
    const seed = Number(value);
    if (!Number.isSafeInteger(seed)) throw new Error(`AGENT_PRESENCE_SEED must be an integer (got ${JSON.stringify(value)})`);
    return seed | 0;
  }
  if (profile === 'mutation') return 20_240_601;
  if (profile === 'deep') return (Math.random() * 2 ** 32) | 0;
  return undefined; // fast-check draws one and prints it with any failure
}

export const profile: PropertyProfile = readProfile();
export const seed: number | undefined = readSeed(profile);

if (profile === 'deep') console.info(`property seed ${seed} (repeat with: npm run test:deep -- --seed ${seed})`);

/**
 * fast-check parameters for a property: `numRuns` by profile, the profile's seed, and the failure report that
 * names seed, path and shrunk counterexample (fast-check's own).
 *
 * @param runs - runs per profile
 * @returns parameters for `fc.assert`
 */
export function propertyRuns(runs: { readonly ci: number; readonly deep: number; readonly mutation: number }): { numRuns: number; seed?: number } {
  const numRuns = runs[profile];
  return seed === undefined ? { numRuns } : { numRuns, seed };
}

/** A test timeout that fits the profile: generous in CI (2 cores, loaded), none worth hitting in a deep run. */
export const propertyTimeout = (ciMs: number): number => (profile === 'deep' ? 60 * 60_000 : ciMs);
