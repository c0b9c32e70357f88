-- KEYS: conns, info, wl, ch, chn, watchers. Returns {connections, has_info, info, {watchlist}, {channels}} or
-- {-1} when nothing is held.
local n = total(KEYS[1])
local info = redis.call('GET', KEYS[2])
if n == 0 and not info then return {-1} end
return {n, info and 1 or 0, info or '', redis.call('LRANGE', KEYS[3], 0, -1), redis.call('HKEYS', KEYS[4])}
