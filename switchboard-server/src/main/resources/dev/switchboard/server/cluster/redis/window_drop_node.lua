-- Channel resume: a dead node's connections in a user's place go (its cleanup, or its own at a clean stop). KEYS:
-- the user's place, the channel's sequence, the dead node's delivery mark in the channel. ARGV: dead node, now in ms.
-- When the dead node held connections of the user and no other live one is left, the place noted is what that node
-- had taken for delivery in the channel (its mark), for the keep time stored at hold; connections waiting elsewhere
-- (window_hold.lua) claim it through window_settle.lua. Idempotent: run again it finds the node gone and changes
-- nothing. Returns 1 when a place was noted.
local dead = ARGV[1]
local had = tonumber(redis.call('HGET', KEYS[1], 'n:' .. dead) or '0')
redis.call('HDEL', KEYS[1], 'n:' .. dead, 'w:' .. dead)
local h = redis.call('HGETALL', KEYS[1])
local waiting, keep, untilMs = false, nil, nil
for i = 1, #h, 2 do
  local p = string.sub(h[i], 1, 2)
  if p == 'n:' and tonumber(h[i + 1]) > 0 then return 0 end
  if p == 'w:' and tonumber(h[i + 1]) > 0 then waiting = true end
  if h[i] == 'keep' then keep = tonumber(h[i + 1]) end
  if h[i] == 'until' then untilMs = tonumber(h[i + 1]) end
end
local now = tonumber(ARGV[2])
local noted = 0
if had > 0 and keep then
  local mark = redis.call('GET', KEYS[3])
  if mark then
    untilMs = now + keep
    redis.call('HSET', KEYS[1], 'noted', mark, 'until', untilMs)
    if redis.call('PTTL', KEYS[2]) < 2 * keep then redis.call('PEXPIRE', KEYS[2], 2 * keep) end
    noted = 1
  end
end
if waiting then return noted end
if untilMs and untilMs > now then
  redis.call('PEXPIRE', KEYS[1], untilMs - now)
else
  redis.call('DEL', KEYS[1])
end
return noted
