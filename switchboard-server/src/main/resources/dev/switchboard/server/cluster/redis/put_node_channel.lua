-- Write-back: replaces node ARGV[1]'s share of one channel with ARGV[2] sockets and its members
-- (ARGV[3..]: user, count, has_info, info, ...), decides nothing. KEYS: subs, mn, mt, mo, mi, seq.
local node, sockets = ARGV[1], tonumber(ARGV[2])
local p = node .. '|'
local touched = {}
local all = redis.call('HGETALL', KEYS[2])
for i = 1, #all, 2 do
  local f = all[i]
  if string.sub(f, 1, #p) == p then
    local user = string.sub(f, #p + 1)
    redis.call('HDEL', KEYS[2], f)
    redis.call('HINCRBY', KEYS[3], user, -tonumber(all[i + 1]))
    touched[#touched + 1] = user
  end
end
if sockets > 0 then redis.call('HSET', KEYS[1], node, sockets) else redis.call('HDEL', KEYS[1], node) end
for i = 3, #ARGV, 4 do
  local user, n = ARGV[i], tonumber(ARGV[i + 1])
  redis.call('HSET', KEYS[2], p .. user, n)
  redis.call('HINCRBY', KEYS[3], user, n)
  if not redis.call('ZSCORE', KEYS[4], user) then
    redis.call('ZADD', KEYS[4], next_position(KEYS[6]), user)
    if ARGV[i + 2] == '1' then redis.call('HSET', KEYS[5], user, ARGV[i + 3]) end
  end
end
for _, user in ipairs(touched) do
  if tonumber(redis.call('HGET', KEYS[3], user) or '0') <= 0 then member_gone(KEYS[3], KEYS[4], KEYS[5], user) end
end
return 1
