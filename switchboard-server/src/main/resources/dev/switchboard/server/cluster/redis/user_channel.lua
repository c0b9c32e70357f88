-- A signed-in connection of node ARGV[1] joins (ARGV[2] = 1) or leaves (-1) channel ARGV[3]: the user's channel
-- list for the user data API. KEYS: conns, info, wl, ch, chn, watchers. Nothing when the user is not signed in here.
local node, d, ch = ARGV[1], tonumber(ARGV[2]), ARGV[3]
if tonumber(redis.call('HGET', KEYS[1], node) or '0') <= 0 then return 0 end
if d > 0 then
  redis.call('HINCRBY', KEYS[4], ch, d)
  redis.call('HINCRBY', KEYS[5], node .. '|' .. ch, d)
else
  decr_field(KEYS[4], ch, -d)
  decr_field(KEYS[5], node .. '|' .. ch, -d)
end
return 1
