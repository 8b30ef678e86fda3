import { z } from 'zod';
import { validateConfig, type PresenceConfig } from '../core/index';

/**
 * Schema of a presence config. It checks with the core's `validateConfig` (the one place the config rules live),
 * so it accepts exactly what `createPresenceMachine` accepts and reports every problem at once, each with its
 * path. The output is the input itself, every agent id kept as given (`__proto__` included).
 *
 * @category Schemas
 * @example
 * ```ts
 * import { presenceConfigSchema } from 'agent-presence/schema';
 * const result = presenceConfigSchema.safeParse({ defaultProfile: { capacity: -1 } });
 * if (!result.success) console.log(result.error.issues[0]?.path); // ['defaultProfile', 'capacity']
 * ```
 */
export const presenceConfigSchema: z.ZodType<PresenceConfig> = z.custom<PresenceConfig>().superRefine((value, ctx) => {
  for (const issue of validateConfig(value)) {
    ctx.addIssue({ code: 'custom', message: issue.message, path: [...issue.path], input: value });
  }
});
