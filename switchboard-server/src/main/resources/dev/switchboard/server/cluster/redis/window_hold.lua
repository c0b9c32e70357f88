-- Channel resume: a connection of this node subscribes to the channel. KEYS: the user's place in the channel (a
-- hash: "n:<node>" connections per node, "w:<node>" connections waiting for their place to settle, "noted" and
-- "until", and "keep", how long a place is kept, for a dead node's cleanup), the channel's sequence, this node's
-- delivery mark in the channel. ARGV: node, signed in (1/0), now in ms, keep in ms, raise the mark (1/0: this
-- node's first signed-in subscriber of the channel), how long a mark lasts in ms.
-- The user's first connection anywhere claims the noted place (forgotten here); any other finds none. Except when
-- the user's only other connections are on other nodes and nothing is noted: such a node may have been killed -9,
-- its place to be noted by its cleanup (window_drop_node.lua). The connection then waits ("w:<node>", no live
-- holder for the release and drop scripts) until window_settle.lua. Returns {noted or -1, head, waiting (1/0),
-- the other nodes holding the user when waiting…}.
local head = tonumber(redis.call('GET', KEYS[2]) or '0')
if ARGV[2] ~= '1' then return {-1, head, 0} end
local node = ARGV[1]
local own, waiting, others, noted, untilMs = 0, 0, {}, nil, 0
local h = redis.call('HGETALL', KEYS[1])
for i = 1, #h, 2 do
  local f, p = h[i], string.sub(h[i], 1, 2)
  if p == 'n:' then
    if string.sub(f, 3) == node then own = tonumber(h[i + 1])
    elseif tonumber(h[i + 1]) > 0 then others[#others + 1] = string.sub(f, 3) end
  elseif p == 'w:' then
    if string.sub(f, 3) == node then waiting = tonumber(h[i + 1]) end
  elseif f == 'noted' then noted = tonumber(h[i + 1])
  elseif f == 'until' then untilMs = tonumber(h[i + 1]) end
end
-- A mark left from an earlier holding of this node may be behind, or missing (nothing taken yet, even at head 0):
-- this node takes everything from head on.
if ARGV[5] == '1' then
  local m = redis.call('GET', KEYS[3])
  if not m or tonumber(m) < head then
    redis.call('SET', KEYS[3], head, 'PX', ARGV[6])
  else
    redis.call('PEXPIRE', KEYS[3], ARGV[6])
  end
end
redis.call('HSET', KEYS[1], 'keep', ARGV[4])
redis.call('PERSIST', KEYS[1])
local valid = noted and untilMs > tonumber(ARGV[3])
if own == 0 and (waiting > 0 or (#others > 0 and not valid)) then
  redis.call('HINCRBY', KEYS[1], 'w:' .. node, 1)
  local out = {-1, head, 1}
  for _, o in ipairs(others) do out[#out + 1] = o end
  return out
end
local claimed = -1
if own == 0 and #others == 0 and valid then claimed = noted end
redis.call('HDEL', KEYS[1], 'noted', 'until')
redis.call('HINCRBY', KEYS[1], 'n:' .. node, 1)
return {claimed, head, 0}
