/**
 * The Lua of one item, one agent on Redis (see `createRedisWorkClaims` and "One item, one agent" in
 * docs/scale-out.md). A work item's claim is one key, hash-tagged by the item (`P{w:<item>}:claim`); an agent's
 * fences live beside its record, in its shard's slot (`P{N}:fences:<agentId>`). No script touches keys of two slots:
 * what joins them is the fence, written atomically with reading the holder's record, and checked by the save.
 */
import { luaScript, SAVE_SCRIPT } from './redisCommands';

/** Redis's clock in milliseconds, as the other scripts read it. */
export const NOW = `local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end`;

/** Whether an agent's stored record (a hash; anything else, or a record that cannot be read, holds nothing) holds the item. */
export const HOLDS_ITEM = `local function holds_item(record, item)
  if redis.call('TYPE', record).ok ~= 'hash' then return false end
  local r = redis.call('HGET', record, 'r')
  if not r then return false end
  local ok, decoded = pcall(cjson.decode, r)
  if ok and type(decoded) == 'table' and type(decoded.state) == 'table' and type(decoded.state.work) == 'table' then
    for _, w in ipairs(decoded.state.work) do
      if type(w) == 'table' and w.workItemId == item then return true end
    end
  end
  return false
end`;

/**
 * Fences a claim's token (`field`: '<item>\\n<token>') in the agent's fences hash for `kept` ms from `now`: from then
 * on no save of the agent giving that claim is accepted. Bounded: past 64 fences, those kept long enough go (every
 * one goes with the key, which expires a fence's time after the last).
 */
export const FENCE = `local function fence(fences, field, now, kept)
  redis.call('HSET', fences, field, string.format('%.0f', now + kept))
  if redis.call('HLEN', fences) > 64 then
    local all = redis.call('HGETALL', fences)
    for i = 1, #all, 2 do
      if (tonumber(all[i + 1]) or 0) <= now then redis.call('HDEL', fences, all[i]) end
    end
  end
  redis.call('PEXPIRE', fences, kept)
end`;

/**
 * Claims a work item for an agent, in the item's slot: when nobody claims it, or the agent does already (its token
 * kept, its lease renewed: every save of the agent adding the item goes with the same token, so one fence stops them
 * all), or it is still the claim expected (a takeover, after the holder's record was found not to hold the item).
 */
export const CLAIM_WORK_SCRIPT = luaScript(
  'claim-work',
  `#!lua
-- KEYS: the item's claim (hash: a the agent, t the token, u until when it holds without the agent's record, ms by
--   Redis's clock)
-- ARGV: agent id, a new token, lease ms, the claim expected ('' none: claim the item when free or the agent's; else
--   '<agent>\\n<token>': take it over only if it is still that claim)
-- Returns {1, token} when claimed; {0, holder, holder's token, lease passed (0/1)} when another claim is there.
${NOW}
local found = redis.call('TYPE', KEYS[1]).ok
if found ~= 'none' and found ~= 'hash' then
  return redis.error_reply('WRONGTYPE agent-presence key ' .. KEYS[1] .. ' holds a ' .. found .. ', not a hash: rename the key (to inspect it) or delete it, and assign again')
end
local now = now_ms()
local lease = string.format('%.0f', now + tonumber(ARGV[3]))
local held = redis.call('HMGET', KEYS[1], 'a', 't', 'u')
local holder, token = held[1], held[2]
if holder and token then
  if ARGV[4] == '' and holder == ARGV[1] then
    redis.call('HSET', KEYS[1], 'u', lease)
    return {1, token}
  end
  if ARGV[4] ~= holder .. '\\n' .. token then
    local passed = 0
    if (tonumber(held[3] or '') or 0) <= now then passed = 1 end
    return {0, holder, token, passed}
  end
end
-- Free (or a hash without a holder: garbage), or the stale claim expected: the agent's now.
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'a', ARGV[1], 't', ARGV[2], 'u', lease)
return {1, ARGV[2]}
`,
);

/**
 * Whether an agent's stored record holds a work item, in the agent's slot; when it does not and `fence` is asked,
 * the claim's token is fenced in the same script: from then on no save of the agent adding the item with that token
 * is accepted (see `SAVE_CLAIMED_SCRIPT`). A record that cannot be read holds nothing.
 */
export const CHECK_HOLDER_SCRIPT = luaScript(
  'check-holder',
  `#!lua
-- KEYS: the agent's record, the agent's fences (hash: '<item>\\n<token>' → until when it is kept, ms by Redis's clock)
-- ARGV: work item id, the claim's token, how long a fence is kept (ms), fence ('1': fence the token when the record
--   does not hold the item; '': only look)
-- Returns 1 when the record holds the item (nothing written); 0 when it does not (the token fenced, if asked).
${NOW}
${HOLDS_ITEM}
${FENCE}
if holds_item(KEYS[1], ARGV[1]) then return 1 end
if ARGV[4] ~= '1' then return 0 end
local found = redis.call('TYPE', KEYS[2]).ok
if found ~= 'none' and found ~= 'hash' then
  return redis.error_reply('WRONGTYPE agent-presence key ' .. KEYS[2] .. ' holds a ' .. found .. ', not a hash: rename the key (to inspect it) or delete it, and assign again')
end
fence(KEYS[2], ARGV[1] .. '\\n' .. ARGV[2], now_ms(), tonumber(ARGV[3]))
return 0
`,
);

/** Deletes a work item's claim when it is still the agent's with the token given, in the item's slot. */
export const FREE_CLAIM_SCRIPT = luaScript(
  'free-claim',
  `#!lua
-- KEYS: the item's claim; ARGV: agent id, token
-- Returns 1 when deleted; 0 when the claim is another (or none).
if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then return 0 end
local held = redis.call('HMGET', KEYS[1], 'a', 't')
if held[1] ~= ARGV[1] or held[2] ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`,
);

/** Checks the claims a save gives against the agent's fences; put first in the save script. */
const FENCE_CHECK = `-- One item, one agent (workClaimScripts.ts): KEYS[#KEYS] the agent's fences; ARGV[#ARGV] the claims this save
--   gives, JSON [[item, token], …]. A claim fenced (taken over by another agent) makes the save a conflict: nothing written.
do
  local fences = KEYS[#KEYS]
  local kind = redis.call('TYPE', fences).ok
  if kind ~= 'none' and kind ~= 'hash' then
    return redis.error_reply('WRONGTYPE agent-presence key ' .. fences .. ' holds a ' .. kind .. ', not a hash: nothing was saved; rename the key (to inspect it) or delete it, and send the event again')
  end
  if kind == 'hash' then
    for _, claim in ipairs(cjson.decode(ARGV[#ARGV])) do
      if redis.call('HEXISTS', fences, claim[1] .. '\\n' .. claim[2]) == 1 then
        local stored = redis.call('HMGET', KEYS[1], 'v', 'r', 'g')
        return {0, tonumber(stored[1] or '') or 0, stored[2] or '', stored[3] or ''}
      end
    end
  end
end
`;

if (!SAVE_SCRIPT.source.startsWith('#!lua\n')) throw new Error('workClaimScripts: the save script must start with its #!lua line');

/**
 * The save script for a save that adds work items: the same script, its keys and arguments followed by the agent's
 * fences (last key) and the claims the save gives (last argument), checked before anything else. Written from
 * `SAVE_SCRIPT` so that both stay one save.
 */
export const SAVE_CLAIMED_SCRIPT = luaScript('save-claimed', SAVE_SCRIPT.source.replace('#!lua\n', `#!lua\n${FENCE_CHECK}`));
