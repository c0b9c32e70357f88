-- KEYS: the app's conns (node -> reserved). ARGV: node, max (<0: none). Returns 1 when reserved, 0 when full.
local max = tonumber(ARGV[2])
if max >= 0 and total(KEYS[1]) >= max then return 0 end
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
return 1
