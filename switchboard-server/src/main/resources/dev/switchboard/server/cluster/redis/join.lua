-- One socket of node ARGV[1] subscribes. KEYS: subs, mn, mt, mo, mi, seq (one channel's slot), the channel's
-- topic, the held leaves. ARGV: node, member user id ('' unless presence), has_info ('1'/'0'), user_info, max members
-- (<0: none); presence also: origin node, publish command (PUBLISH or SPUBLISH), the member_added frame.
-- Returns {full, occupied, new_member, subscription_count, position, vacancy_cancelled, removal_cancelled, roster
-- user, roster info, ...} (roster and position: presence only; the roster holds every membership change up to the
-- position and none after it). An occupancy or a new member cancels the held vacancy or removal it finds.
local node, user, has_info, info, max = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
if user ~= '' then
  local t = tonumber(redis.call('HGET', KEYS[3], user) or '0')
  if t <= 0 and max >= 0 and redis.call('ZCARD', KEYS[4]) >= max then return {1, 0, 0, 0, 0} end
end
local before = total(KEYS[1])
redis.call('HINCRBY', KEYS[1], node, 1)
local new_member = 0
local vacancy_cancelled, removal_cancelled = 0, 0
if before == 0 then vacancy_cancelled = unhold(KEYS[8], 'v') end
if user ~= '' then
  redis.call('HINCRBY', KEYS[2], node .. '|' .. user, 1)
  if redis.call('HINCRBY', KEYS[3], user, 1) == 1 then
    new_member = 1
    removal_cancelled = unhold(KEYS[8], 'm|' .. user)
    local pos = next_position(KEYS[6])
    redis.call('ZADD', KEYS[4], pos, user)
    if has_info == '1' then redis.call('HSET', KEYS[5], user, info) else redis.call('HDEL', KEYS[5], user) end
    if ARGV[8] then announce(KEYS[7], ARGV[7], ARGV[6], ARGV[8], pos) end
  end
end
local out = {0, before == 0 and 1 or 0, new_member, before + 1, 0, vacancy_cancelled, removal_cancelled}
if user ~= '' then
  out[5] = position(KEYS[6])
  for _, id in ipairs(redis.call('ZRANGE', KEYS[4], 0, -1)) do
    out[#out + 1] = id
    out[#out + 1] = redis.call('HGET', KEYS[5], id)
  end
end
return out
