-- The user inbox: keeps ARGV[1] (an encoded event) for the user unless a connection of it is signed in anywhere,
-- decided here, on the user's slot, so that it cannot interleave with sign_in.lua. KEYS: conns, inbox.
-- ARGV: entry, max events, ttl in ms (the list outlives its newest entry by no more). Returns {kept, dropped}.
if total(KEYS[1]) > 0 then return {0, 0} end
redis.call('RPUSH', KEYS[2], ARGV[1])
local dropped = 0
local max = tonumber(ARGV[2])
while redis.call('LLEN', KEYS[2]) > max do
  redis.call('LPOP', KEYS[2])
  dropped = dropped + 1
end
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return {1, dropped}
