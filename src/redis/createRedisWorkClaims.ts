import type { WorkClaim, WorkClaimResult } from '../service/index';
import type { RedisCommandClient } from './RedisCommandClient';
import { list, randomHex, runScript, send, text } from './redisCommands';
import type { RedisLayout } from './redisLayout';
import { CHECK_HOLDER_SCRIPT, CLAIM_WORK_SCRIPT, FREE_CLAIM_SCRIPT } from './workClaimScripts';

/** How long a fence is kept: a save of a claim taken over that reaches Redis later than this would be let through. */
export const FENCE_KEPT_MS = 24 * 60 * 60_000;

/** How many times a claim is tried over a stale one that keeps changing (other routers taking it over first). */
const TAKEOVER_ROUNDS = 8;

/** The key of a work item's claim: its own hash tag, so one claim is one slot. */
export function claimKey(layout: RedisLayout, workItemId: string): string {
  return `${layout.keyPrefix}{w:${workItemId}}:claim`;
}

/** The key of an agent's fences: beside its record, in its shard's slot. */
export function fencesKey(layout: RedisLayout, agentId: string): string {
  return `${layout.keyPrefix}{${layout.shardOf(agentId)}}:fences:${agentId}`;
}

/** The save script's last argument for the claims a save gives (see `SAVE_CLAIMED_SCRIPT`). */
export function claimsArg(claims: readonly WorkClaim[]): string {
  return JSON.stringify(claims.map(({ workItemId, token }) => [workItemId, token]));
}

/**
 * `claimWork` and `freeWork` of the Redis store (see `PresenceStore.claimWork`): the claim in the item's slot, the
 * check of the holder's record and the fence in the holder's slot, each one script; the save that adds the item
 * checks the fences in the same script as it writes (`SAVE_CLAIMED_SCRIPT`).
 */
export function createRedisWorkClaims(
  client: RedisCommandClient,
  layout: RedisLayout,
  leaseMs: number,
): {
  readonly claimWork: (agentId: string, workItemIds: readonly string[]) => Promise<WorkClaimResult>;
  readonly freeWork: (agentId: string, workItemIds: readonly string[]) => Promise<void>;
} {
  /** Whether the holder's stored record holds the item; with `fence`, a token it does not hold the item under is fenced. */
  const holds = async (holder: string, workItemId: string, token: string, fence: boolean): Promise<boolean> =>
    Number(
      await runScript(
        client,
        CHECK_HOLDER_SCRIPT,
        [layout.recordKey(holder), fencesKey(layout, holder)],
        [workItemId, token, String(FENCE_KEPT_MS), fence ? '1' : ''],
      ),
    ) === 1;

  const claimOne = async (agentId: string, workItemId: string): Promise<WorkClaim | Extract<WorkClaimResult, { ok: false }>> => {
    let expected = '';
    let last: Extract<WorkClaimResult, { ok: false }> | undefined;
    for (let round = 0; round < TAKEOVER_ROUNDS; round++) {
      const reply = list(await runScript(client, CLAIM_WORK_SCRIPT, [claimKey(layout, workItemId)], [agentId, randomHex(8), String(leaseMs), expected]));
      if (Number(reply[0]) === 1) return { workItemId, token: text(reply[1]) as string };
      const holder = text(reply[1]) as string;
      const token = text(reply[2]) as string;
      // Within its lease: an assignment in flight, or saved (looked at only to say which).
      if (Number(reply[3]) !== 1) return { ok: false, workItemId, holder, confirmed: await holds(holder, workItemId, token, false) };
      // Past its lease: confirmed when the holder's record holds the item; else fenced there, and taken over here.
      if (await holds(holder, workItemId, token, true)) return { ok: false, workItemId, holder, confirmed: true };
      expected = `${holder}\n${token}`;
      last = { ok: false, workItemId, holder, confirmed: false };
    }
    return last!;
  };

  const freeOne = async (agentId: string, workItemId: string): Promise<void> => {
    const key = claimKey(layout, workItemId);
    const [holder, token] = list(await send(client, ['HMGET', key, 'a', 't'])).map(text);
    if (holder !== agentId || token === undefined) return;
    // Removed only once the agent's record is seen without the item, its token fenced in the same script: a save
    // adding the item under that claim (another process assigning it again meanwhile) is then refused, not lost.
    if (await holds(agentId, workItemId, token, true)) return;
    await runScript(client, FREE_CLAIM_SCRIPT, [key], [agentId, token]);
  };

  const freeWork = async (agentId: string, workItemIds: readonly string[]): Promise<void> => {
    await Promise.all(workItemIds.map((workItemId) => freeOne(agentId, workItemId)));
  };

  return {
    claimWork: async (agentId, workItemIds) => {
      const claims: WorkClaim[] = [];
      for (const workItemId of workItemIds) {
        const claimed = await claimOne(agentId, workItemId);
        if ('token' in claimed) {
          claims.push(claimed);
          continue;
        }
        await freeWork(
          agentId,
          claims.map((c) => c.workItemId),
        );
        return claimed;
      }
      return { ok: true, claims };
    },
    freeWork,
  };
}
