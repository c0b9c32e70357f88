-- One socket of node ARGV[1] that joined leaves. KEYS: subs, mn, mt, mo, mi, seq, the channel's topic, the held
-- leaves. ARGV: node, member ('' if none), hold ms (> 0: the vacancy or removal it decides is held for this node's
-- webhook, kept twice as long and a minute); presence also: origin node, publish command, the member_removed frame.
-- Returns {vacated, member_removed, subscription_count, position of the removal (0: none)}. A leave this node never
-- reported decides nothing.
local node, user, keep = ARGV[1], ARGV[2], tonumber(ARGV[3])
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
      if ARGV[6] then announce(KEYS[7], ARGV[5], ARGV[4], ARGV[6], removed) end
      if keep > 0 then hold(KEYS[8], 'm|' .. user, node, 2 * keep + 60000) end
    end
  end
end
local after = total(KEYS[1])
if after == 0 then
  redis.call('DEL', KEYS[6])
  if keep > 0 then hold(KEYS[8], 'v', node, 2 * keep + 60000) end
end
return {after == 0 and 1 or 0, removed > 0 and 1 or 0, after, removed}
