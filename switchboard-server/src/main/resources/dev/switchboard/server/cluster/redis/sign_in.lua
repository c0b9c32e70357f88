-- A connection of node ARGV[1] signs in. KEYS: conns, info, wl, ch, chn, watchers, inbox, held leaves, watch order,
-- watch topic, ban (one user's slot).
-- ARGV: node, repeat ('1': already signed in as this user, count nothing), has_info, info, watchlist size n,
-- max connections per user (-1: none), publish command (PUBLISH or SPUBLISH), the watchers' online frame, the n
-- watched ids, then the channels the connection already subscribes to.
-- A banned user (its ban key, set with its end and expiring then) is refused and nothing changes: returns {-2, end}.
-- Past the limit the sign-in is refused and nothing changes: returns {-1}.
-- Returns {came_online, {previous watchlist ids}, {inbox entries}, offline_cancelled, position}: coming online
-- cancels a held going offline (lib.lua) and is announced to the user's watchers at its position in the user's
-- order, in this step (lib.lua, announce_watch). A user coming online takes its inbox, in the
-- same step that counts it online, so keep_if_offline.lua either ran before (and its event is handed over here)
-- or after (and saw the user online).
local node, rep, has_info, info, n, max = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
local ban = redis.call('GET', KEYS[11])
if ban then return {-2, ban} end
local came = 0
local counts = rep ~= '1' or tonumber(redis.call('HGET', KEYS[1], node) or '0') <= 0
local now = total(KEYS[1])
if counts and max >= 0 and now >= max then return {-1} end
if rep ~= '1' then
  if now == 0 then came = 1 end
  redis.call('HINCRBY', KEYS[1], node, 1)
  for i = 9 + n, #ARGV do
    redis.call('HINCRBY', KEYS[4], ARGV[i], 1)
    redis.call('HINCRBY', KEYS[5], node .. '|' .. ARGV[i], 1)
  end
end
local previous = redis.call('LRANGE', KEYS[3], 0, -1)
local inbox = {}
if came == 1 then
  inbox = redis.call('LRANGE', KEYS[7], 0, -1)
  redis.call('DEL', KEYS[7])
end
local cancelled, pos = 0, 0
if came == 1 then
  cancelled = unhold(KEYS[8], 'o')
  pos = announce_watch(KEYS[9], KEYS[10], ARGV[7], node, ARGV[8])
end
local out = {came, previous, inbox, cancelled, pos}
redis.call('DEL', KEYS[3])
for i = 9, 8 + n do redis.call('RPUSH', KEYS[3], ARGV[i]) end
if has_info == '1' then redis.call('SET', KEYS[2], info) else redis.call('DEL', KEYS[2]) end
return out
