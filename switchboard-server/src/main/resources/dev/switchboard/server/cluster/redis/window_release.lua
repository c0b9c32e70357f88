-- Channel resume: a connection of this node that held the channel leaves it. KEYS: the user's place, the channel's
-- sequence. ARGV: node, position, lost (1/0), keep in ms, now in ms. When it was the user's last connection
-- anywhere and it was lost, the position is noted for keep ms (and the sequence kept at least as long); after an
-- unsubscribe the place goes. A connection still waiting (window_hold.lua) was written nothing: its leaving changes
-- no place. Connections waiting elsewhere are no live holder, but the place stays for them (no expiry).
local node = ARGV[1]
local f = 'n:' .. node
local waiter = redis.call('HEXISTS', KEYS[1], f) == 0
if waiter then f = 'w:' .. node end
local c = redis.call('HINCRBY', KEYS[1], f, -1)
if c <= 0 then redis.call('HDEL', KEYS[1], f) end
local h = redis.call('HGETALL', KEYS[1])
local waiting, untilMs = false, nil
for i = 1, #h, 2 do
  local p = string.sub(h[i], 1, 2)
  if p == 'n:' and tonumber(h[i + 1]) > 0 then return 0 end
  if p == 'w:' and tonumber(h[i + 1]) > 0 then waiting = true end
  if h[i] == 'until' then untilMs = tonumber(h[i + 1]) end
end
if waiter then
  if waiting then return 0 end
  if untilMs and untilMs > tonumber(ARGV[5]) then
    redis.call('PEXPIRE', KEYS[1], untilMs - tonumber(ARGV[5]))
  else
    redis.call('DEL', KEYS[1])
  end
  return 0
end
if ARGV[3] == '1' then
  local keep = tonumber(ARGV[4])
  redis.call('HSET', KEYS[1], 'noted', ARGV[2], 'until', tonumber(ARGV[5]) + keep)
  if not waiting then redis.call('PEXPIRE', KEYS[1], keep) end
  if redis.call('PTTL', KEYS[2]) < 2 * keep then redis.call('PEXPIRE', KEYS[2], 2 * keep) end
elseif waiting then
  redis.call('HDEL', KEYS[1], 'noted', 'until')
else
  redis.call('DEL', KEYS[1])
end
return 1
