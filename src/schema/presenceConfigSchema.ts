import type { ZodMiniType } from 'zod/mini';
import { validateConfig, type PresenceConfig } from '../core/index';
import { issueSchema } from './issueSchema';

/**
 * Schema of a presence config (a `zod/mini` schema). It checks with the core's `validateConfig` (the one place the
 * config rules live), so it accepts exactly what `createPresenceMachine` accepts and reports every problem at once,
 * each with its path. The output is the input itself, every agent id kept as given (`__proto__` included).
 *
 * @category Schemas
 * @example
 * ```ts
 * import { presenceConfigSchema } from 'agent-presence/schema';
 * const result = presenceConfigSchema.safeParse({ defaultProfile: { capacity: -1 } });
 * if (!result.success) console.log(result.error.issues[0]?.path); // ['defaultProfile', 'capacity']
 * ```
 */
export const presenceConfigSchema: ZodMiniType<PresenceConfig> = issueSchema<PresenceConfig>(validateConfig);
