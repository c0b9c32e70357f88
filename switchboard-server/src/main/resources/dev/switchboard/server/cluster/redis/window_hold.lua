-- Channel resume: a connection of this node subscribes to the channel. KEYS: the user's place in the channel (a
-- hash: "n:<node>" connections per node, "noted" and "until"), the channel's sequence. ARGV: node, signed in (1/0),
-- now in ms. The user's first connection anywhere claims the noted place (forgotten here); any other finds none.
-- Returns {noted or -1, head}.
local head = tonumber(redis.call('GET', KEYS[2]) or '0')
if ARGV[2] ~= '1' then return {-1, head} end
local others = 0
local h = redis.call('HGETALL', KEYS[1])
local noted, untilMs = nil, 0
for i = 1, #h, 2 do
  if string.sub(h[i], 1, 2) == 'n:' then others = others + tonumber(h[i + 1])
  elseif h[i] == 'noted' then noted = tonumber(h[i + 1])
  elseif h[i] == 'until' then untilMs = tonumber(h[i + 1]) end
end
local claimed = -1
if others == 0 and noted and untilMs > tonumber(ARGV[3]) then claimed = noted end
redis.call('HDEL', KEYS[1], 'noted', 'until')
redis.call('HINCRBY', KEYS[1], 'n:' .. ARGV[1], 1)
redis.call('PERSIST', KEYS[1])
return {claimed, head}
