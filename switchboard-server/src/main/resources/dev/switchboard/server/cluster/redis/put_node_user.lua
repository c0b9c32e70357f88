-- Write-back: replaces node ARGV[1]'s share of one user: ARGV[2] connections, user_info and watchlist (kept when
-- another node already wrote newer ones), then channel, count pairs. Decides nothing.
-- KEYS: conns, info, wl, ch, chn, watchers. ARGV: node, conns, has_info, info, n, n watched ids, channel, count, ...
local node, conns, has_info, info, n = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4], tonumber(ARGV[5])
local p = node .. '|'
local all = redis.call('HGETALL', KEYS[5])
for i = 1, #all, 2 do
  if string.sub(all[i], 1, #p) == p then
    redis.call('HDEL', KEYS[5], all[i])
    decr_field(KEYS[4], string.sub(all[i], #p + 1), tonumber(all[i + 1]))
  end
end
if conns <= 0 then redis.call('HDEL', KEYS[1], node) return 0 end
redis.call('HSET', KEYS[1], node, conns)
if has_info == '1' then redis.call('SET', KEYS[2], info, 'NX') end
if redis.call('EXISTS', KEYS[3]) == 0 then
  for i = 6, 5 + n do redis.call('RPUSH', KEYS[3], ARGV[i]) end
end
for i = 6 + n, #ARGV, 2 do
  redis.call('HINCRBY', KEYS[4], ARGV[i], tonumber(ARGV[i + 1]))
  redis.call('HSET', KEYS[5], p .. ARGV[i], ARGV[i + 1])
end
return 1
