-- A signed-in connection of node ARGV[1] goes; ARGV[2]: hold ms (> 0: going offline is held for this node's
-- webhook, lib.lua); ARGV[3]: publish command, ARGV[4]: the watchers' offline frame; ARGV[5..]: the channels it
-- still subscribes to. KEYS: conns, info, wl, ch, chn, watchers, held, watch order, watch topic.
-- Returns {went_offline, position, last watchlist ids...}: going offline is announced to the user's watchers in this
-- step (lib.lua, announce_watch). A sign-out this node never reported (the user was erased meanwhile) decides
-- nothing.
local node = ARGV[1]
local cur = tonumber(redis.call('HGET', KEYS[1], node) or '0')
if cur <= 0 then return {0} end
decr_field(KEYS[1], node, 1)
for i = 5, #ARGV do
  decr_field(KEYS[4], ARGV[i], 1)
  decr_field(KEYS[5], node .. '|' .. ARGV[i], 1)
end
if total(KEYS[1]) > 0 then return {0} end
local keep = tonumber(ARGV[2])
if keep > 0 then hold(KEYS[7], 'o', node, 2 * keep + 60000) end
local out = {1, announce_watch(KEYS[8], KEYS[9], ARGV[3], node, ARGV[4])}
for _, id in ipairs(redis.call('LRANGE', KEYS[3], 0, -1)) do out[#out + 1] = id end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
return out
