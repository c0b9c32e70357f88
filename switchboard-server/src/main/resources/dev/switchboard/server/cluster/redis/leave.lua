-- One socket of node ARGV[1] that joined leaves. KEYS: subs, mn, mt, mo, mi, seq, and the channel's topic for
-- presence. ARGV: node, member ('' if none); presence also: origin node, publish command, the member_removed frame.
-- Returns {vacated, member_removed, subscription_count, position of the removal (0: none)}. A leave this node never
-- reported decides nothing.
local node, user = ARGV[1], ARGV[2]
local cur = tonumber(redis.call('HGET', KEYS[1], node) or '0')
if cur <= 0 then return {0, 0, total(KEYS[1]), 0} end
decr_field(KEYS[1], node, 1)
local removed = 0
if user ~= '' then
  local f = node .. '|' .. user
  if tonumber(redis.call('HGET', KEYS[2], f) or '0') > 0 then
    decr_field(KEYS[2], f, 1)
    if decr_field(KEYS[3], user, 1) <= 0 then
      member_gone(KEYS[3], KEYS[4], KEYS[5], user)
      removed = next_position(KEYS[6])
      if ARGV[5] then announce(KEYS[7], ARGV[4], ARGV[3], ARGV[5], removed) end
    end
  end
end
local after = total(KEYS[1])
if after == 0 then redis.call('DEL', KEYS[6]) end
return {after == 0 and 1 or 0, removed > 0 and 1 or 0, after, removed}
