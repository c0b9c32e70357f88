-- Channel resume: a connection of this node that held the channel leaves it. KEYS: the user's place, the channel's
-- sequence. ARGV: node, position, lost (1/0), keep in ms, now in ms. When it was the user's last connection
-- anywhere and it was lost, the position is noted for keep ms (and the sequence kept at least as long); after an
-- unsubscribe the place goes.
local c = redis.call('HINCRBY', KEYS[1], 'n:' .. ARGV[1], -1)
if c <= 0 then redis.call('HDEL', KEYS[1], 'n:' .. ARGV[1]) end
local h = redis.call('HGETALL', KEYS[1])
for i = 1, #h, 2 do
  if string.sub(h[i], 1, 2) == 'n:' and tonumber(h[i + 1]) > 0 then return 0 end
end
if ARGV[3] == '1' then
  local keep = tonumber(ARGV[4])
  redis.call('HSET', KEYS[1], 'noted', ARGV[2], 'until', tonumber(ARGV[5]) + keep)
  redis.call('PEXPIRE', KEYS[1], keep)
  if redis.call('PTTL', KEYS[2]) < 2 * keep then redis.call('PEXPIRE', KEYS[2], 2 * keep) end
else
  redis.call('DEL', KEYS[1])
end
return 1
