-- Channel resume: this node's connections waiting for the user's place (window_hold.lua) settle. KEYS: the user's
-- place, the channel's sequence. ARGV: node, mode, now in ms, the other nodes they wait for…. Modes:
--   claim   once none of those nodes holds a connection of the user any more (cleaned up as dead, or left), the
--           waiting connections take the noted place (once, when no other live connection holds the user);
--           before that nothing changes;
--   alive   one of those nodes renewed its lease after the hold: its connection was subscribed when these came,
--           so there is nothing to resume (whatever got noted since is forgotten);
--   giveup  waited long enough: nothing to resume.
-- Settled, the waiting connections count as live ones of this node. Returns {noted or -1, head, still waiting (1/0)};
-- when no connection waits any more (they all left), {-1, head, 0}.
local head = tonumber(redis.call('GET', KEYS[2]) or '0')
local node, mode = ARGV[1], ARGV[2]
local w = tonumber(redis.call('HGET', KEYS[1], 'w:' .. node) or '0')
if w <= 0 then return {-1, head, 0} end
local claimed = -1
if mode == 'claim' then
  for i = 4, #ARGV do
    if tonumber(redis.call('HGET', KEYS[1], 'n:' .. ARGV[i]) or '0') > 0 then return {-1, head, 1} end
  end
  local h = redis.call('HGETALL', KEYS[1])
  local live, noted, untilMs = false, nil, 0
  for i = 1, #h, 2 do
    if string.sub(h[i], 1, 2) == 'n:' and tonumber(h[i + 1]) > 0 then live = true
    elseif h[i] == 'noted' then noted = tonumber(h[i + 1])
    elseif h[i] == 'until' then untilMs = tonumber(h[i + 1]) end
  end
  if not live and noted and untilMs > tonumber(ARGV[3]) then claimed = noted end
end
redis.call('HDEL', KEYS[1], 'noted', 'until', 'w:' .. node)
redis.call('HINCRBY', KEYS[1], 'n:' .. node, w)
redis.call('PERSIST', KEYS[1])
return {claimed, head, 0}
