-- KEYS: the node leases (ZSET node -> expiry in Redis-clock ms), the cleanups under way (ZSET dead node -> the
-- expiry of its cleaner's claim), both in the {nodes} slot. ARGV: node, lease ms.
-- Renews this node's lease and claims every expired one: the script that moves a lease into the cleanups is the
-- only one that gets it, so exactly one node cleans each dead node up. A claim that was not finished within one
-- lease (its cleaner died too) is claimed again; the cleanup steps are idempotent, so the rest is done once.
-- Returns {1 if this node's lease was new (first start, Redis lost its data, or we were declared dead), live, {claimed}}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = string.format('%.0f', now + tonumber(ARGV[2]))
local cutoff = '(' .. string.format('%.0f', now)
local added = redis.call('ZADD', KEYS[1], lease, ARGV[1])
local claimed = {}
for _, n in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', cutoff)) do
  redis.call('ZREM', KEYS[1], n)
  redis.call('ZADD', KEYS[2], lease, n)
  claimed[#claimed + 1] = n
end
for _, n in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', cutoff)) do
  if n ~= ARGV[1] then
    redis.call('ZADD', KEYS[2], lease, n)
    claimed[#claimed + 1] = n
  end
end
return {added, redis.call('ZCARD', KEYS[1]), claimed}
