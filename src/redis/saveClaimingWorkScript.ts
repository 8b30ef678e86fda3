/**
 * The save script of a save that adds or removes work items on one Redis server: one item, one agent (see
 * `createRedisWorkClaims` and "One item, one agent" in docs/scale-out.md) in the same script as the compare-and-set,
 * so that an assignment or a release is one round trip. Not for a Redis Cluster, where an item's claim and the
 * agent's record lie in different slots: there the claim is its own script first (`CLAIM_WORK_SCRIPT`).
 */
import { luaScript, SAVE_SCRIPT } from './redisCommands';
import { FENCE, HOLDS_ITEM, NOW } from './workClaimScripts';

/** What goes first in the script: its header, and the functions the claims use. */
const HEADER = `-- save-claiming-work: the save script below, with the claims of the work items it adds and removes.
-- KEYS, after the save's ten: [11] the agent's fences (hash: '<item>\\n<token>' → until when it is kept, ms by Redis's
--   clock); [12 … 11+n] the claims of the n items added; [12+n …] the claims of the items removed (each a hash: a the
--   agent, t the token, u until when it holds without the agent's record, ms by Redis's clock)
-- ARGV, after the save's 24: [25] claim lease (ms), [26] how long a fence is kept (ms), [27] the key prefix, [28] the
--   number of shards, [29] n, the number of items added, then the n items added, then their n new tokens, then the
--   items removed
-- Returns what the save returns, or {3, item, holder, confirmed (1: the holder's record holds it; 0: its claim is
--   younger than the lease)} when another agent holds an item added: nothing written.
-- After the compare-and-set, before any write: each item added is claimed when nobody claims it, or the agent does
-- (a new token: a save under the old one is refused), or its claim is stale (the lease passed, and the holder's
-- record does not hold it: the holder's token is fenced beside its record, as check-holder fences it). The holder's
-- record and fences are named from the prefix and the holder's shard (FNV-1a of its id, as redisLayout.ts counts
-- it): they are known only once the claim is read. With the record written, the agent's claims of the items
-- removed are freed, their tokens fenced (a save of another process still giving one is refused, as after freeWork).
${NOW}
local function claim_type(key)
  local found = redis.call('TYPE', key).ok
  if found ~= 'none' and found ~= 'hash' then
    return redis.error_reply('WRONGTYPE agent-presence key ' .. key .. ' holds a ' .. found .. ', not a hash: nothing was saved; rename the key (to inspect it) or delete it, and send the event again')
  end
end
local function claim_shard_of(id, shards)
  if shards <= 1 then return 0 end
  local h = bit.tobit(2166136261)
  for i = 1, #id do
    h = bit.bxor(h, string.byte(id, i))
    -- h * 16777619 modulo 2^32: h * 2^24 + h * 403, each part exact in a double.
    h = bit.tobit(bit.lshift(h, 24) + h * 403)
  end
  if h < 0 then h = h + 4294967296 end
  return h % shards
end
${HOLDS_ITEM}
${FENCE}
`;

/** The claims checked, after the compare-and-set and the save's own checks, before its first write. */
const CHECKS = `-- One item, one agent (see the header): every claim checked before any write.
local claim_plan = {fences = {}, takes = {}, frees = {}}
do
  local n = tonumber(ARGV[29])
  local now = now_ms()
  claim_plan.now = now
  claim_plan.lease = string.format('%.0f', now + tonumber(ARGV[25]))
  local problem = claim_type(KEYS[11])
  if problem then return problem end
  for i = 1, n do
    local key, item = KEYS[11 + i], ARGV[29 + i]
    problem = claim_type(key)
    if problem then return problem end
    local held = redis.call('HMGET', key, 'a', 't', 'u')
    local holder, token = held[1], held[2]
    if holder and token and holder ~= ARGV[3] then
      local tag = ARGV[27] .. '{' .. claim_shard_of(holder, tonumber(ARGV[28])) .. '}:'
      if holds_item(tag .. 'agent:' .. holder, item) then return {3, item, holder, 1} end
      if (tonumber(held[3] or '') or 0) > now then return {3, item, holder, 0} end
      local fences = tag .. 'fences:' .. holder
      problem = claim_type(fences)
      if problem then return problem end
      claim_plan.fences[#claim_plan.fences + 1] = {fences, item .. '\\n' .. token}
    end
    claim_plan.takes[#claim_plan.takes + 1] = {key, ARGV[29 + n + i]}
  end
  for i = 12 + n, #KEYS do
    local key = KEYS[i]
    -- A claim key of another type is no claim of the agent's: left as it is.
    if redis.call('TYPE', key).ok == 'hash' then
      local held = redis.call('HMGET', key, 'a', 't')
      if held[1] == ARGV[3] and held[2] then claim_plan.frees[#claim_plan.frees + 1] = {key, ARGV[29 + n + i - 11] .. '\\n' .. held[2]} end
    end
  end
end
`;

/** The claims written, after the record and before the script returns. */
const WRITES = `-- One item, one agent: stale claims fenced and taken over, the items added claimed, those removed freed.
for _, f in ipairs(claim_plan.fences) do fence(f[1], f[2], claim_plan.now, tonumber(ARGV[26])) end
for _, t in ipairs(claim_plan.takes) do
  redis.call('DEL', t[1])
  redis.call('HSET', t[1], 'a', ARGV[3], 't', t[2], 'u', claim_plan.lease)
end
for _, f in ipairs(claim_plan.frees) do
  fence(KEYS[11], f[2], claim_plan.now, tonumber(ARGV[26]))
  redis.call('DEL', f[1])
end
`;

/** Puts `text` before `anchor` in the save script's source; throws at load when the anchor is gone (the save script changed). */
function before(source: string, anchor: string, text: string): string {
  const at = source.indexOf(anchor);
  if (at === -1 || source.indexOf(anchor, at + 1) !== -1) {
    throw new Error(`saveClaimingWorkScript: the save script must hold ${JSON.stringify(anchor)} once, where the claims go`);
  }
  return source.slice(0, at) + text + source.slice(at);
}

if (!SAVE_SCRIPT.source.startsWith('#!lua\n')) throw new Error('saveClaimingWorkScript: the save script must start with its #!lua line');

/**
 * The save script with one item, one agent in it (see the header above), for a save that adds or removes work items
 * on one Redis server. Written from `SAVE_SCRIPT` so that both stay one save: the claims are checked just before its
 * first write (`-- Every check is passed: the writes.`), and written just before it returns.
 */
export const SAVE_CLAIMING_WORK_SCRIPT = luaScript(
  'save-claiming-work',
  before(
    before(`#!lua\n${HEADER}${SAVE_SCRIPT.source.slice('#!lua\n'.length)}`, '-- Every check is passed: the writes.', CHECKS),
    '-- The SHA-1 of the record written',
    WRITES,
  ),
);
