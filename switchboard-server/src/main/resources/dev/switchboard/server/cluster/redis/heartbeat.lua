-- KEYS: the node leases (ZSET node -> expiry in Redis-clock ms). ARGV: node, lease ms.
-- Renews this node's lease and claims every expired one: the script that removes a lease is the only one that
-- gets it back, so exactly one node cleans each dead node up.
-- Returns {1 if this node's lease was new (first start, Redis lost its data, or we were declared dead), live, {claimed}}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local added = redis.call('ZADD', KEYS[1], string.format('%.0f', now + tonumber(ARGV[2])), ARGV[1])
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. string.format('%.0f', now))
for _, n in ipairs(dead) do redis.call('ZREM', KEYS[1], n) end
return {added, redis.call('ZCARD', KEYS[1]), dead}
