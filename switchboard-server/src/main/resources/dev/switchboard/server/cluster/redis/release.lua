-- KEYS: the app's conns. ARGV: node. Never below zero.
if tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0') > 0 then decr_field(KEYS[1], ARGV[1], 1) end
return 1
