-- KEYS: the node leases (ZSET node -> expiry in Redis-clock ms), the cleanups under way (ZSET dead node -> the
-- expiry of its cleaner's claim), the dead marks (ZSET node -> when it was declared dead), all in the {nodes} slot.
-- ARGV: node, lease ms, mode, how long a dead mark is kept (ms). Modes:
--   beat    renews this node's lease and claims every expired one: the script that moves a lease into the cleanups
--           is the only one that gets it, so exactly one node cleans each dead node up, and it marks the node dead
--           in the same step. A claim not finished within one lease (its cleaner died too) is claimed again; the
--           cleanup steps are idempotent, so the rest is done once. A node whose lease is gone and which is marked
--           dead was declared dead while it was cut off: it is told so (fenced) and its lease is not renewed. A
--           lease gone without a mark (first start, Redis lost its data) is simply added back.
--   resign  this node declares itself dead (it may have missed messages): lease gone, marked dead, and put in the
--           cleanups with a claim that has already expired, so the next heartbeat of any node cleans it up.
--   rejoin  a fenced node whose clients are gone asks to come back: while its cleanup is under way it waits (and
--           claims the cleanup itself once nobody else did for a lease past its claim: a node alone, or whose
--           cleaner died); then its mark goes and it gets a new lease.
-- Returns {1 if this node's lease was new, live nodes, {claimed}, 1 if this node is fenced}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local node, mode = ARGV[1], ARGV[3]
local lease = string.format('%.0f', now + tonumber(ARGV[2]))
local cutoff = '(' .. string.format('%.0f', now)
local stamp = string.format('%.0f', now)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. string.format('%.0f', now - tonumber(ARGV[4])))
if mode == 'resign' then
  redis.call('ZREM', KEYS[1], node)
  redis.call('ZADD', KEYS[3], stamp, node)
  if not redis.call('ZSCORE', KEYS[2], node) then
    redis.call('ZADD', KEYS[2], string.format('%.0f', now - 1), node)
  end
  return {0, redis.call('ZCARD', KEYS[1]), {}, 1}
end
if mode == 'rejoin' then
  local claim = redis.call('ZSCORE', KEYS[2], node)
  if claim then
    -- still being cleaned up: wait, finishing (like any node) the cleanups whose cleaner is gone, own included
    -- once nobody else took it for a lease (so a live cleaner, or a node that is not fenced, goes first)
    local claimed = {}
    if tonumber(claim) + tonumber(ARGV[2]) < now then
      redis.call('ZADD', KEYS[2], lease, node)
      claimed[1] = node
    end
    for _, n in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', cutoff)) do
      if n ~= node then
        redis.call('ZADD', KEYS[2], lease, n)
        claimed[#claimed + 1] = n
      end
    end
    return {0, redis.call('ZCARD', KEYS[1]), claimed, 1}
  end
  redis.call('ZREM', KEYS[3], node)
elseif not redis.call('ZSCORE', KEYS[1], node) and redis.call('ZSCORE', KEYS[3], node) then
  return {0, redis.call('ZCARD', KEYS[1]), {}, 1}
end
local added = redis.call('ZADD', KEYS[1], lease, node)
local claimed = {}
for _, n in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', cutoff)) do
  redis.call('ZREM', KEYS[1], n)
  redis.call('ZADD', KEYS[2], lease, n)
  redis.call('ZADD', KEYS[3], stamp, n)
  claimed[#claimed + 1] = n
end
for _, n in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', cutoff)) do
  if n ~= node then
    redis.call('ZADD', KEYS[2], lease, n)
    claimed[#claimed + 1] = n
  end
end
return {added, redis.call('ZCARD', KEYS[1]), claimed, 0}
