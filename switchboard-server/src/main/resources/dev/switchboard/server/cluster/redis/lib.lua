-- Shared by every script (prepended when the scripts are loaded). Counts are kept per node: a hash field per
-- node (or "node|id"), so a node only ever changes its own share and a dead node's share can be taken out whole.
local function total(key)
  local s = 0
  for _, v in ipairs(redis.call('HVALS', key)) do s = s + tonumber(v) end
  return s
end
local function decr_field(key, field, by)
  local n = redis.call('HINCRBY', key, field, -by)
  if n <= 0 then redis.call('HDEL', key, field) end
  return n
end
local function member_gone(mt, mo, mi, user)
  redis.call('HDEL', mt, user)
  redis.call('ZREM', mo, user)
  redis.call('HDEL', mi, user)
end
