-- Takes node ARGV[1]'s whole share out of one user. KEYS: conns, info, wl, ch, chn, watchers, watch order, watch
-- topic. ARGV: node, the node deciding (the origin of the announcement), publish command, the watchers' offline
-- frame. Returns {went_offline, position, last watchlist ids...}: going offline is announced to the user's watchers
-- in this step (lib.lua, announce_watch). Idempotent.
local node = ARGV[1]
local cur = tonumber(redis.call('HGET', KEYS[1], node) or '0')
redis.call('HDEL', KEYS[1], node)
local p = node .. '|'
local all = redis.call('HGETALL', KEYS[5])
for i = 1, #all, 2 do
  if string.sub(all[i], 1, #p) == p then
    redis.call('HDEL', KEYS[5], all[i])
    decr_field(KEYS[4], string.sub(all[i], #p + 1), tonumber(all[i + 1]))
  end
end
if cur <= 0 or total(KEYS[1]) > 0 then return {0} end
local out = {1, announce_watch(KEYS[7], KEYS[8], ARGV[3], ARGV[2], ARGV[4])}
for _, id in ipairs(redis.call('LRANGE', KEYS[3], 0, -1)) do out[#out + 1] = id end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
return out
