import { createHash, randomBytes } from 'node:crypto';
import type { RedisCommandClient } from './RedisCommandClient';
import { createCommandWatchdog, type CommandWatchdog } from './createCommandWatchdog';
import { RedisUnavailableError } from './RedisUnavailableError';
import { MAX_RESERVE_MS } from '../service/routeItem';

/** Server error codes that mean "not now" rather than "wrong": the call is worth retrying. */
const TRANSIENT_CODES = new Set(['LOADING', 'BUSY', 'TRYAGAIN', 'CLUSTERDOWN', 'MASTERDOWN', 'READONLY', 'NOREPLICAS']);

/** The server's error code of a reply error (`NOSCRIPT No matching script`), undefined for a client-side error. */
function replyCode(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : undefined;
  return message === undefined ? undefined : /^([A-Z][A-Z_]+)(?:\s|$)/.exec(message)?.[1];
}

/** The watchdog bounding each client's commands, set by the adapters made over it (see {@link boundCommands}). */
const watchdogs = new WeakMap<RedisCommandClient, CommandWatchdog>();

/** What the adapters send with each command they bound themselves: node-redis's own per-command timeout off. */
const NO_CLIENT_TIMEOUT = Object.freeze({ timeout: 0 });

/** node-redis's default per-command timeout, ms: the adapters' when neither the options nor the client set one. */
const NODE_REDIS_DEFAULT_TIMEOUT_MS = 5_000;

/**
 * Bounds the adapters' commands on `client` with one {@link CommandWatchdog}: `timeoutMs`, else the timeout the
 * client was made with (node-redis's `commandOptions.timeout`), else node-redis's default, 5 s; 0 leaves them
 * unbounded. A blocking read (`XREAD … BLOCK`) keeps the client's own timeout.
 *
 * @internal
 */
export function boundCommands(client: RedisCommandClient, timeoutMs: number | undefined): void {
  const own = (client as { options?: { commandOptions?: { timeout?: unknown } } }).options?.commandOptions?.timeout;
  const ms = timeoutMs ?? (typeof own === 'number' && Number.isFinite(own) && own >= 0 ? own : NODE_REDIS_DEFAULT_TIMEOUT_MS);
  if (ms > 0) watchdogs.set(client, createCommandWatchdog(ms));
  else watchdogs.delete(client);
}

/** Sends one command; a client-side failure or a transient server error becomes a {@link RedisUnavailableError}. */
export async function send(client: RedisCommandClient, args: string[]): Promise<unknown> {
  try {
    const watchdog = watchdogs.get(client);
    if (watchdog === undefined || (args[0] === 'XREAD' && args.includes('BLOCK'))) return await client.sendCommand(args);
    return await watchdog.watch(client.sendCommand(args, NO_CLIENT_TIMEOUT), args[0] ?? '?');
  } catch (error) {
    const code = replyCode(error);
    if (code !== undefined && !TRANSIENT_CODES.has(code)) throw error;
    throw new RedisUnavailableError(args[0] ?? '?', error);
  }
}

/** A Lua script and its SHA-1, run with EVALSHA (EVAL when the server's script cache lacks it). */
export interface LuaScript {
  readonly name: string;
  readonly source: string;
  readonly sha: string;
}

export function luaScript(name: string, source: string): LuaScript {
  return { name, source, sha: createHash('sha1').update(source).digest('hex') };
}

/** Runs a script by its SHA, loading it with EVAL when the server does not know it (a restart flushes the cache). */
export function runScript(client: RedisCommandClient, script: LuaScript, keys: readonly string[], args: readonly string[]): Promise<unknown> {
  return evaluate(client, script, keys, args, 'EVALSHA', 'EVAL');
}

/**
 * Runs a script declared `flags=no-writes` as a read-only command (`EVALSHA_RO`, `EVAL_RO` when the server's cache
 * lacks it): a process that only reads sends no command that can write, and it may be sent to a replica.
 */
export function runReadOnlyScript(client: RedisCommandClient, script: LuaScript, keys: readonly string[], args: readonly string[]): Promise<unknown> {
  return evaluate(client, script, keys, args, 'EVALSHA_RO', 'EVAL_RO');
}

/** A script by its SHA (`bySha`), then by its source (`bySource`) when the server's cache lacks it. */
async function evaluate(
  client: RedisCommandClient,
  script: LuaScript,
  keys: readonly string[],
  args: readonly string[],
  bySha: string,
  bySource: string,
): Promise<unknown> {
  const tail = [String(keys.length), ...keys, ...args];
  try {
    return await send(client, [bySha, script.sha, ...tail]);
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
    return send(client, [bySource, script.source, ...tail]);
  }
}

/** A reply read as text (RESP2 and RESP3 bulk strings; Buffers from a client mapping them). */
export function text(reply: unknown): string | undefined {
  if (reply === null || reply === undefined) return undefined;
  if (typeof reply === 'string') return reply;
  if (typeof reply === 'number') return String(reply);
  if (reply instanceof Uint8Array) return new TextDecoder().decode(reply);
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- any reply at all may land here; String() shows it without ever throwing
  throw new TypeError(`unexpected Redis reply ${String(reply)}`);
}

/** A reply read as an array. */
export function list(reply: unknown): unknown[] {
  if (Array.isArray(reply)) return reply;
  if (reply === null || reply === undefined) return [];
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- any reply at all may land here; String() shows it without ever throwing
  throw new TypeError(`unexpected Redis reply (not an array): ${String(reply)}`);
}

/** Whether Redis refused a command because a key holds another type than the command works on. */
export function isWrongType(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('WRONGTYPE');
}

/** Compares two stream ids (`<ms>-<seq>`) as Redis orders them. */
export function compareStreamIds(a: string, b: string): number {
  // Without split: every save notes its entry's id (see writtenStreamIds), two arrays a call were its garbage.
  const at = a.indexOf('-');
  const bt = b.indexOf('-');
  const am = at === -1 ? Number(a) : Number(a.slice(0, at));
  const bm = bt === -1 ? Number(b) : Number(b.slice(0, bt));
  return am - bm || (at === -1 ? 0 : Number(a.slice(at + 1))) - (bt === -1 ? 0 : Number(b.slice(bt + 1)));
}

/**
 * The Lua of a new store generation for a shard: Redis's time in milliseconds, zero-padded to 15 digits (so that a
 * later one sorts after an earlier one as strings do), then the caller's random part (`ARGV[n]`).
 */
const NEW_GENERATION = `local function new_generation(random)
  local t = redis.call('TIME')
  local ms = string.format('%.0f', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
  return string.rep('0', 15 - #ms) .. ms .. '-' .. random
end`;

/**
 * The Lua that reads a shard's generation: '' when missing, or when the key holds anything but a generation this
 * store makes (another type, a value written by hand): such a key is garbage, never compared with, and the next save
 * replaces it (the followers see a new generation, and resynchronise).
 */
const READ_GENERATION = `local function read_generation(key)
  if redis.call('TYPE', key).ok ~= 'string' or redis.call('STRLEN', key) ~= 24 then return '' end
  local value = redis.call('GET', key)
  if string.match(value, '^%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%-%x%x%x%x%x%x%x%x$') then return value end
  return ''
end`;

/** Whether a value is a generation this store makes (see `NEW_GENERATION`): in a record (`g`) or an entry, anything else is ignored. */
export function isGeneration(value: string | undefined): value is string {
  return value !== undefined && /^\d{15}-[0-9a-f]{8}$/i.test(value);
}

/** A random part for a new generation: 8 hex digits. */
export function generationSeed(): string {
  return randomHex(4);
}

/**
 * `bytes` random bytes as hex (a generation's seed, a claim's token), drawn from a pool refilled now and then: a save
 * passes a seed every time and an assignment a token, and one `randomBytes` call each was 2.3 % of a dispatching
 * process's busy time (docs/performance.md, "Eighth pass").
 */
export function randomHex(bytes: number): string {
  if (randomPool.length - randomAt < bytes) {
    randomPool = randomBytes(4_096);
    randomAt = 0;
  }
  randomAt += bytes;
  return randomPool.toString('hex', randomAt - bytes, randomAt);
}
let randomPool = Buffer.alloc(0);
let randomAt = 0;

/**
 * The Lua that keeps an agent's place in a shard's roster: `roster_plan` reads the agent's entry before (its bucket
 * and its members in the four orders, JSON; an entry of an earlier release has two; anything else is garbage, dropped) and makes the one after (`mode` 'set', or '' for none),
 * and checks the sorted sets it will write (a key of another type: `nil, error reply`, before any write); no plan
 * (`nil`) when the entry is unchanged; `roster_write` moves the agent by a plan. A bucket's count is set from its sorted set's size (not incremented: a count
 * that is not a number, written by hand, cannot fail a script halfway).
 */
const ROSTER_PLACE = `local function wrong_type(key, found, expected)
  return redis.error_reply('WRONGTYPE agent-presence key ' .. key .. ' holds a ' .. found .. ', not a ' .. expected ..
    ': nothing was saved; rename the key (to inspect it) or delete it, and send the event again')
end
local function roster_plan(roster, agent, mode, bucket, freeMember, idleMember, routedMember, idMember)
  local before, after, old = redis.call('HGET', roster, agent), '', nil
  if mode == 'set' then after = cjson.encode({bucket, freeMember, idleMember, routedMember, idMember}) end
  -- Unchanged (a heartbeat, mostly): no plan, so nothing to write and no sorted set to check.
  if before == after then return nil end
  if before then
    local ok, decoded = pcall(cjson.decode, before)
    if ok and type(decoded) == 'table' and type(decoded[1]) == 'string' and type(decoded[2]) == 'string' and type(decoded[3]) == 'string' then
      old = decoded
      if type(old[4]) ~= 'string' or type(old[5]) ~= 'string' then old[4] = nil; old[5] = nil end
    end
  end
  local zsets = {}
  if old then
    for _, o in ipairs({'f', 'i', 'o', 'n'}) do zsets[#zsets + 1] = roster .. ':' .. o .. ':' .. old[1] end
  end
  if after ~= '' then
    for _, o in ipairs({'f', 'i', 'o', 'n'}) do zsets[#zsets + 1] = roster .. ':' .. o .. ':' .. bucket end
  end
  for _, key in ipairs(zsets) do
    local found = redis.call('TYPE', key).ok
    if found ~= 'none' and found ~= 'zset' then return nil, wrong_type(key, found, 'zset') end
  end
  return {before = before, after = after, old = old}
end
local function roster_count(roster, buckets, bucket)
  local n = redis.call('ZCARD', roster .. ':f:' .. bucket)
  if n > 0 then redis.call('HSET', buckets, bucket, n) else redis.call('HDEL', buckets, bucket) end
end
local function roster_write(roster, buckets, agent, plan, bucket, freeScore, freeMember, idleScore, idleMember, routedScore, routedMember, idMember)
  local old = plan.old
  if old then
    redis.call('ZREM', roster .. ':f:' .. old[1], old[2])
    redis.call('ZREM', roster .. ':i:' .. old[1], old[3])
    if old[4] then
      redis.call('ZREM', roster .. ':o:' .. old[1], old[4])
      redis.call('ZREM', roster .. ':n:' .. old[1], old[5])
    end
  end
  if plan.after == '' then
    redis.call('HDEL', roster, agent)
  else
    redis.call('HSET', roster, agent, plan.after)
    redis.call('ZADD', roster .. ':f:' .. bucket, freeScore, freeMember)
    redis.call('ZADD', roster .. ':i:' .. bucket, idleScore, idleMember)
    redis.call('ZADD', roster .. ':o:' .. bucket, routedScore, routedMember)
    redis.call('ZADD', roster .. ':n:' .. bucket, 0, idMember)
    roster_count(roster, buckets, bucket)
  end
  if old and (plan.after == '' or old[1] ~= bucket) then roster_count(roster, buckets, old[1]) end
end`;

/**
 * Saves a record if the version is still the expected one, and in the same script appends the save to the
 * shard's stream (with the presence change, if any), the change and the work entries to the agent's capped history, the agent to the
 * shard's set, and the state's next deadline to the shard's timers (only when it moved, so a claim's lease holds).
 * The shard's generation is made when it is missing (a new deployment, or the data was lost), or when its key holds
 * anything else than a generation (another type, a value written by hand), and written with the
 * record, the stream entry and the change.
 *
 * A quiet save (no presence change, nothing routing reads changed: a heartbeat) adds a tiny stream entry: the agent,
 * version, generation, event id and `quiet`, without the state (followers have nothing to take from it; the entry
 * keeps each agent's versions without a gap, and every acknowledged event in the stream). When the
 * caller knew the record's generation, a record of another generation is a conflict too. A conflict returns the
 * stored record (`r`, `g`), so that the caller retries without reading it first. The shard's roster (see
 * `ROSTER_SCRIPT`) is kept from the placement given: the agent's entry in the roster hash (its bucket and its two
 * members), a sorted set per bucket and order, and the count of each bucket's agents.
 */
export const SAVE_SCRIPT = luaScript(
  'save',
  `#!lua
-- KEYS: record, agents, stream, history, deadlines, timers, generation, roster, roster buckets, config version
-- ARGV: expected version, record, agent id, length of the record's state part, change ('' none), deadline ('' none, '-' unknown), maxLen, history limit, event id ('' none), generation seed,
--   expected generation ('' any), quiet ('1': an entry without the state), roster ('-' leave, '' none, 'set'), bucket, free score, free member,
--   idle score, idle member, routed score, routed member, id member, expected SHA-1 of the record ('' any), config version,
--   work entries for the history ('' none; JSON objects, one a line)
-- Returns {1, version, id, generation, …}; {0, current version, record, generation} on a conflict; {2, current version, config version}
-- when the shard is on a newer config.
-- Redis does not undo the writes of a script that fails halfway: everything that could fail is checked first
-- (a key of another type; memory is checked before the script starts, as its shebang declares no allow-oom), and the
-- stream entry, which Redis can refuse on a stream too, is the first write.
${NEW_GENERATION}
${READ_GENERATION}
${ROSTER_PLACE}
-- Only the keys this save may write are checked for their type (reading one of another type fails before any write,
-- which leaves nothing half done; the generation's key of another type is replaced). A heartbeat checks 6 keys, not 17.
local function misfit(i, expected)
  local found = redis.call('TYPE', KEYS[i]).ok
  if found ~= 'none' and found ~= expected then return wrong_type(KEYS[i], found, expected) end
  return false
end
local misfits = misfit(1, 'hash') or misfit(3, 'stream') or (ARGV[6] ~= '-' and (misfit(5, 'hash') or misfit(6, 'zset'))) or
  ((ARGV[5] ~= '' or ARGV[24] ~= '') and misfit(4, 'list')) or (ARGV[13] ~= '-' and (misfit(8, 'hash') or misfit(9, 'hash')))
if misfits then return misfits end
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if current == 0 then
  local problem = misfit(2, 'set')
  if problem then return problem end
end
-- Saving over a record as the caller read it: another generation (the shard lost data since), or other text (the
-- record was changed by hand: it must be read, and checked, again) is a conflict too.
local moved = current > 0 and ((ARGV[11] ~= '' and redis.call('HGET', KEYS[1], 'g') ~= ARGV[11]) or
  (ARGV[22] ~= '' and redis.sha1hex(redis.call('HGET', KEYS[1], 'r') or '') ~= ARGV[22]))
if current ~= tonumber(ARGV[1]) or moved then
  local stored = redis.call('HMGET', KEYS[1], 'r', 'g')
  return {0, current, stored[1] or '', stored[2] or ''}
end
-- The shard's config version (anything but a number of up to 15 digits: none) only goes up: an older one is refused.
local config = redis.pcall('GET', KEYS[10])
if type(config) ~= 'string' or not string.match(config, '^%d+$') or #config > 15 then config = '0' end
if tonumber(ARGV[23]) < tonumber(config) then return {2, current, config} end
-- The roster: the agent's entry before and after, the sorted sets checked before any write.
local rosterMode = ARGV[13]
local plan = nil
if rosterMode ~= '-' then
  local problem
  plan, problem = roster_plan(KEYS[8], ARGV[3], rosterMode, ARGV[14], ARGV[16], ARGV[18], ARGV[20], ARGV[21])
  if problem then return problem end
end
-- Every check is passed: the writes.
-- The stream's entry goes first: Redis can refuse it though the key is a stream (one at the last possible id, set by
-- hand), and a refusal after the record was written would leave a version no follower ever sees.
local generation = read_generation(KEYS[7])
local fresh = generation == ''
if fresh then generation = new_generation(ARGV[10]) end
local version = current + 1
-- A quiet save (no change, nothing routing reads moved: a heartbeat) is a tiny entry, without the state.
local quiet = ARGV[12] == '1' and ARGV[5] == '' and current > 0
local entry = {'agent', ARGV[3], 'version', tostring(version), 'generation', generation, 'quiet', '1'}
-- The state is the record's text up to its remembered event ids (ARGV[4] its length), closed again.
if not quiet then entry[7] = 'state'; entry[8] = string.sub(ARGV[2], 1, tonumber(ARGV[4])) .. '}' end
if ARGV[9] ~= '' then
  entry[#entry + 1] = 'event'
  entry[#entry + 1] = ARGV[9]
end
local change = nil
if ARGV[5] ~= '' then
  change = '{"version":' .. version .. ',"generation":"' .. generation .. '",' .. string.sub(ARGV[5], 2)
  entry[#entry + 1] = 'change'
  entry[#entry + 1] = change
end
local id = redis.pcall('XADD', KEYS[3], 'MAXLEN', '~', ARGV[7], '*', unpack(entry))
if type(id) == 'table' and id.err then
  return redis.error_reply('ERR agent-presence key ' .. KEYS[3] .. ' took no entry (' .. string.gsub(id.err, '^%u+ ', '') ..
    '): nothing was saved; rename the key (to inspect it) or delete it, and send the event again')
end
if tonumber(ARGV[23]) > tonumber(config) then redis.call('SET', KEYS[10], ARGV[23]) end
if fresh then redis.call('SET', KEYS[7], generation) end
redis.call('HSET', KEYS[1], 'v', version, 'r', ARGV[2], 'g', generation)
if current == 0 then redis.call('SADD', KEYS[2], ARGV[3]) end
if change then redis.call('RPUSH', KEYS[4], change) end
-- Work entries (for reports) go to the same capped history, after the change, with the save's version and generation.
for work in string.gmatch(ARGV[24], '[^\\n]+') do
  redis.call('RPUSH', KEYS[4], '{"version":' .. version .. ',"generation":"' .. generation .. '",' .. string.sub(work, 2))
end
if ARGV[5] ~= '' or ARGV[24] ~= '' then redis.call('LTRIM', KEYS[4], -tonumber(ARGV[8]), -1) end
if plan then roster_write(KEYS[8], KEYS[9], ARGV[3], plan, ARGV[14], ARGV[15], ARGV[16], ARGV[17], ARGV[18], ARGV[19], ARGV[20], ARGV[21]) end
if ARGV[6] ~= '-' then
  local before = redis.call('HGET', KEYS[5], ARGV[3])
  if ARGV[6] == '' then
    if before then
      redis.call('HDEL', KEYS[5], ARGV[3])
      redis.call('ZREM', KEYS[6], ARGV[3])
    end
  elseif before ~= ARGV[6] then
    redis.call('HSET', KEYS[5], ARGV[3], ARGV[6])
    redis.call('ZADD', KEYS[6], ARGV[6], ARGV[3])
  end
end
-- The SHA-1 of the record written, for the caller to save over it next (hashed here: Redis has the text at hand).
return {1, version, id, generation, redis.sha1hex(ARGV[2])}
`,
);

/** The body of the roster read (`ROSTER_SCRIPT`, `RESERVING_ROSTER_SCRIPT`): each defines `finish` first. */
const ROSTER_READ = `-- ARGV: order ('f', 'i', 'o' or 'n'), units, count per bucket, records (how many of the first agents read come with
--   their record), the shard's record key prefix, the rotation's agent id ('' none), number of bases, bases…, number
--   of presence ids (-1: any), ids…, then 'all' (every bucket of those bases and presence ids, from 0) or pairs of
--   bucket and offset
-- Returns {buckets, records}: buckets as {bucket, next offset, {member, score, …}}; records as {agent id, v, r, g, SHA-1 of r}.
local order, units, want, records, prefix, after = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5], ARGV[6]
local i = 7
local bases = {}
for j = 1, tonumber(ARGV[i]) do bases[ARGV[i + j]] = true end
i = i + tonumber(ARGV[i]) + 1
local ids = nil
if tonumber(ARGV[i]) >= 0 then
  ids = {}
  for j = 1, tonumber(ARGV[i]) do ids[ARGV[i + j]] = true end
  i = i + tonumber(ARGV[i])
end
i = i + 1
local targets = {}
local function target(name, offset)
  local phase, bucket = '', name
  if order == 'n' then phase, bucket = string.sub(name, 1, 1), string.sub(name, 2) end
  local base, e, id = string.match(bucket, '^([^\\n]*)\\n([^\\n]*)\\n(.*)$')
  if base and bases[base] and (ids == nil or ids[id]) and tonumber(e) then targets[#targets + 1] = {name, offset, 2 ^ tonumber(e), bucket, phase} end
end
if redis.call('TYPE', KEYS[2]).ok ~= 'hash' then return {{}, {}} end
if ARGV[i] == 'all' then
  for _, bucket in ipairs(redis.call('HKEYS', KEYS[2])) do
    if order ~= 'n' then target(bucket, 0)
    elseif after == '' then target('*' .. bucket, 0)
    else
      target('>' .. bucket, 0)
      target('<' .. bucket, 0)
    end
  end
else
  while i < #ARGV do
    target(ARGV[i], tonumber(ARGV[i + 1]))
    i = i + 2
  end
end
local zeros = '0000000000000000'
local out, ranks = {}, {}
for _, t in ipairs(targets) do
  local key = KEYS[1] .. ':' .. order .. ':' .. t[4]
  local offset, slack, read, next = t[2], t[3], {}, -1
  if redis.call('TYPE', key).ok == 'zset' then
    local page
    if order == 'n' then
      local lo, hi = '-', '+'
      if t[5] == '>' then lo = '(' .. zeros .. after elseif t[5] == '<' then hi = '[' .. zeros .. after end
      page = {}
      for _, member in ipairs(redis.call('ZRANGE', key, lo, hi, 'BYLEX', 'LIMIT', offset, want)) do
        page[#page + 1] = member
        page[#page + 1] = '0'
      end
    else
      page = redis.call('ZRANGE', key, offset, offset + want - 1, 'WITHSCORES')
    end
    next = offset + #page / 2
    for k = 1, #page, 2 do
      if order == 'f' and -tonumber(page[k + 1]) + slack < units then
        next = -1
        break
      end
      read[#read + 1] = page[k]
      read[#read + 1] = page[k + 1]
    end
    if #page < 2 * want then next = -1 end
  end
  out[#out + 1] = {t[1], next, read}
  -- Round robin: the ids after the rotation's agent come before those up to it.
  if t[5] == '<' then ranks[#out] = 1 else ranks[#out] = 0 end
end
-- The first agents of the buckets read, merged in the order asked (phase, score, then member, as each sorted set
-- orders them), with their records: the caller's best candidates, most of the time, without a second round trip.
local heads, picked = {}, {}
for b = 1, #out do heads[b] = 1 end
while #picked < records do
  local best, bestRank, bestScore, bestMember = nil, nil, nil, nil
  for b = 1, #out do
    local read = out[b][3]
    local k = heads[b]
    if k < #read then
      local rank, score, member = ranks[b], tonumber(read[k + 1]), read[k]
      if best == nil or rank < bestRank or (rank == bestRank and (score < bestScore or (score == bestScore and member < bestMember))) then
        best, bestRank, bestScore, bestMember = b, rank, score, member
      end
    end
  end
  if best == nil then break end
  heads[best] = heads[best] + 2
  local agent = string.sub(bestMember, 17)
  local ok, fields = pcall(redis.call, 'HMGET', prefix .. agent, 'v', 'r', 'g')
  if ok then
    local sha = false
    if fields[2] then sha = redis.sha1hex(fields[2]) end
    picked[#picked + 1] = {agent, fields[1], fields[2], fields[3], sha}
  end
end
return finish(out, picked)
`;

/**
 * Reads a shard's roster for `findAvailable`: for each bucket asked (base status, slack exponent, presence id), the
 * next agents in the order asked from an offset: `f` (most free first: score -free units, member the idle time's
 * sortable hex then the agent id), `i` (longest idle first: score the idle time, member -free units' sortable hex
 * then the agent id), `o` (least recently routed first: score when last routed, the least number for never, member
 * the idle time's sortable hex then the agent id) or `n` (agent ids in order, for round robin: score 0, member 16
 * zeros then the agent id; a bucket's name carries its phase first: `>` the ids after the rotation's agent, `<`
 * those up to it, `*` all). With `f`, a bucket ends at its first agent whose free units + the bucket's slack fall
 * short of the units asked (every agent after it is refused too). Returns, per bucket, its name, the next offset
 * (-1: no more), and the members and scores read; and, so that a query is one round trip, the records of the
 * shard's first agents among those read (all its buckets merged in the order asked; as many as asked for), each as
 * its agent id, `v`, `r`, `g` and the SHA-1 of `r` (a key that is not a hash is left out: the caller reads it, and
 * reports it).
 */
export const ROSTER_SCRIPT = luaScript(
  'roster',
  `#!lua flags=no-writes
-- KEYS: roster, roster buckets
local function finish(out, picked) return {out, picked} end
${ROSTER_READ}`,
);

/**
 * `ROSTER_SCRIPT` for `route`: the same read, and in the same step it reserves for the caller the shard's best
 * agent among those it sends the record of that no one has reserved (a lapsed reservation is dropped first) and
 * that is not excluded: `<roster>:reserved` (a sorted set, agent id → until when, in ms by Redis's clock) gets the
 * agent until now + the lease. Routers in other processes reading the shard after it see the agent reserved and
 * try it last, so that they do not pick the agent this one is about to give an item to. A key of another type
 * there leaves reservations out (the read goes on). A lease that is not a whole number of ms from 1 to
 * `MAX_RESERVE_MS` is refused before anything is written, and a reservation held beyond now + `MAX_RESERVE_MS` (no
 * lease writes one: Redis's clock went back, or a hand edit) is dropped as lapsed. Returns {buckets, records,
 * reserved, mine}: `reserved` the agents among the records sent that another router holds, `mine` {agent id, until}
 * of the one reserved now (empty when none). `RELEASE_RESERVED_SCRIPT` gives it back.
 */
export const RESERVING_ROSTER_SCRIPT = luaScript(
  'reserving-roster',
  `#!lua
-- KEYS: roster, roster buckets, reservations (sorted set: agent id → until, ms)
-- ARGV: the lease (ms), number of agents excluded, their ids…, then the arguments of ROSTER_SCRIPT
local lease, excluded, skip = tonumber(ARGV[1]), tonumber(ARGV[2]), {}
if not (lease and lease >= 1 and lease <= ${MAX_RESERVE_MS} and lease % 1 == 0) then
  return redis.error_reply('ERR the lease must be a whole number of ms from 1 to ${MAX_RESERVE_MS}, got ' .. ARGV[1])
end
for j = 1, excluded do skip[ARGV[2 + j]] = true end
local rest = {}
for j = 3 + excluded, #ARGV do rest[#rest + 1] = ARGV[j] end
local ARGV = rest
local function finish(out, picked)
  local kind = redis.call('TYPE', KEYS[3]).ok
  if kind ~= 'zset' and kind ~= 'none' then return {out, picked, {}, {}} end
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
  -- Held beyond the longest lease: written before Redis's clock went back (or by hand), lapsed.
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '(' .. string.format('%.0f', now + ${MAX_RESERVE_MS}), '+inf')
  local held, mine = {}, {}
  for _, p in ipairs(picked) do
    local agent = p[1]
    if redis.call('ZSCORE', KEYS[3], agent) then held[#held + 1] = agent
    elseif #mine == 0 and not skip[agent] and p[3] then
      redis.call('ZADD', KEYS[3], now + lease, agent)
      mine = {agent, redis.call('ZSCORE', KEYS[3], agent)}
    end
  end
  -- The key goes by itself once every reservation in it has lapsed.
  if #mine > 0 and redis.call('PTTL', KEYS[3]) < lease then redis.call('PEXPIRE', KEYS[3], lease) end
  return {out, picked, held, mine}
end
${ROSTER_READ}`,
);

/**
 * Gives back a reservation `RESERVING_ROSTER_SCRIPT` took: removes the agent from the shard's reservations when it
 * is still held until the time given (a reservation that lapsed and was taken again by another router is theirs).
 * Returns 1 when released, 0 when not.
 */
export const RELEASE_RESERVED_SCRIPT = luaScript(
  'release-reserved',
  `#!lua
-- KEYS: reservations; ARGV: agent id, until (as the reserving read returned it)
if redis.call('TYPE', KEYS[1]).ok ~= 'zset' or redis.call('ZSCORE', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
return redis.call('ZREM', KEYS[1], ARGV[1])
`,
);

/**
 * Puts an agent in a shard's roster where a config newly published places it (measured from the record at the
 * version given), unless the record moved on since (its save placed it then). Returns 1 when placed, 0 when not.
 */
export const PLACE_SCRIPT = luaScript(
  'place',
  `#!lua
-- KEYS: record, roster, roster buckets
-- ARGV: version measured, agent id, roster ('' none, 'set'), bucket, free score, free member, idle score, idle member,
--   routed score, routed member, id member
${ROSTER_PLACE}
if redis.call('TYPE', KEYS[1]).ok ~= 'hash' or redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return 0 end
for i, expected in ipairs({'hash', 'hash'}) do
  local found = redis.call('TYPE', KEYS[i + 1]).ok
  if found ~= 'none' and found ~= expected then return wrong_type(KEYS[i + 1], found, expected) end
end
local plan, problem = roster_plan(KEYS[2], ARGV[2], ARGV[3], ARGV[4], ARGV[6], ARGV[8], ARGV[10], ARGV[11])
if problem then return problem end
if plan then roster_write(KEYS[2], KEYS[3], ARGV[2], plan, ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10], ARGV[11]) end
return 1
`,
);

/**
 * Publishes a config: appends it to the config stream as the next version (above the highest version a shard is on,
 * given by the caller: the shards' keys are in other slots), when the newest is still the version expected ('' any).
 * Returns {1, version} or {0, the newest version}.
 */
export const PUBLISH_CONFIG_SCRIPT = luaScript(
  'publish-config',
  `#!lua
-- KEYS: config stream; ARGV: expected version ('' any), config JSON, versions kept, the highest version a shard is on
local found = redis.call('TYPE', KEYS[1]).ok
if found ~= 'none' and found ~= 'stream' then
  return redis.error_reply('WRONGTYPE agent-presence key ' .. KEYS[1] .. ' holds a ' .. found .. ', not a stream: rename the key (to inspect it) or delete it, and publish again')
end
local current = 0
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
if last then
  for i = 1, #last[2], 2 do
    if last[2][i] == 'version' and string.match(last[2][i + 1], '^%d+$') and #last[2][i + 1] <= 15 then current = tonumber(last[2][i + 1]) end
  end
end
if ARGV[1] ~= '' and tonumber(ARGV[1]) ~= current then return {0, current} end
-- Above every shard's version too: after the stream was deleted, a version from 1 would be refused by every shard.
local version = math.max(current, tonumber(ARGV[4])) + 1
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'version', tostring(version), 'config', ARGV[2])
return {1, version}
`,
);

/** Raises a shard's config version (never lowers it): after a publish, no save with an older config is accepted there. */
export const RAISE_CONFIG_SCRIPT = luaScript(
  'raise-config',
  `#!lua
-- KEYS: shard's config version; ARGV: version
local config = redis.pcall('GET', KEYS[1])
if type(config) ~= 'string' or not string.match(config, '^%d+$') or #config > 15 or tonumber(config) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1])
end
return 1
`,
);

/**
 * Replaces a shard's generation when it is still the one the caller saw (or missing, when the caller saw none):
 * after the shard lost writes but kept its generation (a failover to a replica that missed them, a restart from an
 * older snapshot), so that every process sees the loss. Returns the shard's generation afterwards.
 */
export const ROTATE_SCRIPT = luaScript(
  'rotate',
  `#!lua
-- KEYS: generation; ARGV: the generation seen ('' none), generation seed
${NEW_GENERATION}
${READ_GENERATION}
local current = read_generation(KEYS[1])
if current ~= ARGV[1] then return current end
local generation = new_generation(ARGV[2])
redis.call('SET', KEYS[1], generation)
return generation
`,
);

/**
 * Claims up to `limit` agents whose timer is due: each is leased (its timer moved to now + lease, so a claimer
 * that dies lets another retake it then) and returned with its deadline. A timer due whose deadline is not (its
 * score set by hand) is moved back to its deadline instead. Also returns the earliest timer left.
 */
export const CLAIM_SCRIPT = luaScript(
  'claim',
  `#!lua
-- KEYS: timers, deadlines; ARGV: now, lease ms, limit, max clock skew ms
-- Returns: the claimed agents and their deadlines (flat), the earliest timer left ('' none), the "now" used
-- "Now" is the caller's clock, but never more than the skew ahead of Redis's own: a runner whose clock runs fast
-- would otherwise tick deadlines that have not come (a session expired minutes early).
local time = redis.call('TIME')
local now = math.min(tonumber(ARGV[1]), tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) + tonumber(ARGV[4]))
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
local claimed = {}
for _, agent in ipairs(due) do
  local deadline = redis.call('HGET', KEYS[2], agent)
  if not deadline then
    redis.call('ZREM', KEYS[1], agent)
  elseif string.match(deadline, '^%d+$') and #deadline <= 16 and tonumber(deadline) > now then
    -- Due by its score but not by its deadline (a score set by hand): back to the deadline, not claimed.
    redis.call('ZADD', KEYS[1], deadline, agent)
  else
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), agent)
    claimed[#claimed + 1] = agent
    claimed[#claimed + 1] = deadline
  end
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {claimed, first[2] or '', tostring(now)}
`,
);

/**
 * Reads a shard's stream after an id (a key of another type is read as no stream, and its type returned last, so
 * that the shard is still checked for a loss). Also returns the oldest entry kept and whether the stream was ever trimmed,
 * so that a reader can tell when entries it had not read yet were trimmed away; the shard's generation ('' when
 * missing); and whether the probe entry (the newest one the reader knows was written) is gone though it was not
 * trimmed: then the shard lost writes. A reader that was caught up at its position (it gives the entries added then)
 * is told of no trimming when every entry added since is still kept.
 */
export const READ_SCRIPT = luaScript(
  'read',
  `#!lua flags=no-writes
-- KEYS: stream, generation; ARGV: after id (exclusive), count, probe id ('0-0' none), entries added when the reader
--   was caught up at the after id ('' not known)
-- Returns: first entry kept, trimmed (0/1), entries, generation, lost (0/1), the key's type when not a stream, entries
--   added, last generated id
${READ_GENERATION}
local generation = read_generation(KEYS[2])
local probe = ARGV[3]
local found = redis.call('TYPE', KEYS[1]).ok
if found ~= 'stream' then
  -- No stream (or a key of another type, named as the sixth item): what the reader knew of it is gone.
  local lost = 0
  if probe ~= '0-0' then lost = 1 end
  if found == 'none' then return {'0-0', 0, {}, generation, lost} end
  return {'0-0', 0, {}, generation, lost, found}
end
local entries = redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', tonumber(ARGV[2]))
local info = redis.call('XINFO', 'STREAM', KEYS[1])
local first, added, length, last = '0-0', 0, 0, '0-0'
for i = 1, #info, 2 do
  local field = info[i]
  if field == 'recorded-first-entry-id' then first = info[i + 1]
  elseif field == 'entries-added' then added = info[i + 1]
  elseif field == 'last-generated-id' then last = info[i + 1]
  elseif field == 'length' then length = info[i + 1] end
end
local trimmed = 0
if added > length then trimmed = 1 end
-- Every entry trimmed (a shard idle for longer than maxAgeMs): the oldest kept would come after the newest ever
-- written. Returned as that newest (entries up to it were trimmed), and a probe up to it was trimmed, not lost.
local emptied = length == 0 and trimmed == 1
if emptied then first = last end
local lost = 0
if probe ~= '0-0' and #redis.call('XRANGE', KEYS[1], probe, probe) == 0 then
  -- Gone: trimmed when older than the oldest entry kept (and the stream was trimmed), else lost.
  local pm, ps = string.match(probe, '^(%d+)-(%d+)$')
  local fm, fs = string.match(first, '^(%d+)-(%d+)$')
  local older = tonumber(pm) < tonumber(fm) or (tonumber(pm) == tonumber(fm) and (tonumber(ps) < tonumber(fs) or emptied))
  if trimmed == 0 or not older then lost = 1 end
end
-- The reader was caught up at \`after\` when the stream had had ARGV[4] entries added: every entry added since comes
-- after it, so none was trimmed unread while they are all still kept (a position trimmed on an idle shard is no gap).
if ARGV[4] ~= '' and trimmed == 1 and added - tonumber(ARGV[4]) <= length then trimmed = 0 end
return {first, trimmed, entries, generation, lost, false, added, last}
`,
);

/**
 * Trims a shard's stream of the entries older than `ARGV[1]` ms by Redis's clock (`XTRIM MINID ~`: whole nodes,
 * at most 10,000 entries a call). A key of another type, or none, is left alone. Returns how many were trimmed.
 */
export const TRIM_BY_AGE_SCRIPT = luaScript(
  'trim-by-age',
  `#!lua
-- KEYS: stream; ARGV: max age ms
if redis.call('TYPE', KEYS[1]).ok ~= 'stream' then return 0 end
local t = redis.call('TIME')
local minid = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[1])
if minid <= 0 then return 0 end
return redis.call('XTRIM', KEYS[1], 'MINID', '~', string.format('%.0f', minid))
`,
);

/**
 * For `readForRepair`: makes an agent's record key one that `save` can write over, at a version above every one the
 * stream and the history still hold (so the repair's save, compare-and-set on it, is news to every reader). A key
 * of another type is moved aside and a record hash holding only that version left in its place; a hash whose
 * version is not a whole number gets that version, its record left where it is. Does nothing when the key holds a
 * sane version by then.
 */
export const SET_ASIDE_SCRIPT = luaScript(
  'set-aside',
  `#!lua
-- KEYS: record, aside, agents; ARGV: version to continue from (0: none), agent id
-- Returns: {1, version} when done, {0, version} when the key holds a sane version (nothing done)
local found = redis.call('TYPE', KEYS[1]).ok
if found == 'hash' then
  local v = redis.call('HGET', KEYS[1], 'v')
  if v and string.match(v, '^[1-9]%d*$') then return {0, v} end
end
local agents = redis.call('TYPE', KEYS[3]).ok
if agents ~= 'none' and agents ~= 'set' then
  return redis.error_reply('WRONGTYPE agent-presence key ' .. KEYS[3] .. ' holds a ' .. agents .. ', not a set: rename the key (to inspect it) or delete it, and repair again')
end
if found ~= 'none' and found ~= 'hash' then redis.call('RENAME', KEYS[1], KEYS[2]) end
if tonumber(ARGV[1]) > 0 then redis.call('HSET', KEYS[1], 'v', ARGV[1]) else redis.call('HDEL', KEYS[1], 'v') end
redis.call('SADD', KEYS[3], ARGV[2])
return {1, ARGV[1]}
`,
);

/** Removes an agent's timer if its deadline is still the one given (a value that is not a time, or a deadline of an unreadable record). */
export const DROP_TIMER_SCRIPT = luaScript(
  'drop-timer',
  `#!lua
-- KEYS: deadlines, timers; ARGV: agent id, the deadline value it was claimed with
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
`,
);
