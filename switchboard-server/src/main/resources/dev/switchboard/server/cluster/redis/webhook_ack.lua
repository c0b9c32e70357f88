-- A webhook batch delivered (2xx) or given up: acknowledged and deleted in one step, so the stream only holds what is
-- owed. KEYS: the target's stream. ARGV: group, entry id. Returns 1 when the entry was still there.
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return redis.call('XDEL', KEYS[1], ARGV[2])
