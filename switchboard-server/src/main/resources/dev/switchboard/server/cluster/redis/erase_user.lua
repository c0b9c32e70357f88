-- Erases what is held about one user, at once. KEYS: conns, info, wl, ch, chn, watchers, watch order.
-- Returns {-1} when nothing is held, else {connections, had_info, {watchlist}, {channels}, {watchers}}.
local n = total(KEYS[1])
local had_info = redis.call('EXISTS', KEYS[2])
if n == 0 and had_info == 0 then return {-1} end
local out = {n, had_info, redis.call('LRANGE', KEYS[3], 0, -1), redis.call('HKEYS', KEYS[4]),
             redis.call('SMEMBERS', KEYS[6])}
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7])
return out
