-- Takes node ARGV[1]'s whole share out of one channel (its lease expired, or it leaves). KEYS: subs, mn, mt, mo,
-- mi, seq, and the channel's topic when announcing. ARGV: node; to announce the removals: origin node, publish
-- command, and the member_removed frame up to its data (the data, the user id as JSON inside a JSON string, is
-- made here). Returns {vacated, subscription_count, node_had_sockets, removed member id, its position, ...}.
-- Idempotent.
local node = ARGV[1]
local cur = tonumber(redis.call('HGET', KEYS[1], node) or '0')
redis.call('HDEL', KEYS[1], node)
local out = {0, 0, cur > 0 and 1 or 0}
local p = node .. '|'
local all = redis.call('HGETALL', KEYS[2])
for i = 1, #all, 2 do
  local f = all[i]
  if string.sub(f, 1, #p) == p then
    local user = string.sub(f, #p + 1)
    redis.call('HDEL', KEYS[2], f)
    if decr_field(KEYS[3], user, tonumber(all[i + 1])) <= 0 then
      member_gone(KEYS[3], KEYS[4], KEYS[5], user)
      local pos = next_position(KEYS[6])
      out[#out + 1] = user
      out[#out + 1] = pos
      if ARGV[4] then
        announce(KEYS[7], ARGV[3], ARGV[2], ARGV[4] .. cjson.encode('{"user_id":' .. cjson.encode(user) .. '}') .. '}', pos)
      end
    end
  end
end
local after = total(KEYS[1])
if after == 0 then redis.call('DEL', KEYS[6]) end
out[1] = (cur > 0 and after == 0) and 1 or 0
out[2] = after
return out
