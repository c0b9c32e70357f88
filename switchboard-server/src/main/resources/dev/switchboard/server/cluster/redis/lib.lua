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
-- A presence channel's membership order (docs/cluster.md): every member added or removed takes the next position
-- of the channel's counter, in the script that decides it. A counter made anew (the channel's first member, or the
-- channel occupied again after its counter went with the last subscriber) starts from the Redis clock in
-- microseconds, so a channel's positions keep growing over its successive lives.
local function next_position(seq)
  if redis.call('EXISTS', seq) == 0 then
    local t = redis.call('TIME')
    redis.call('SET', seq, string.format('%.0f', tonumber(t[1]) * 1000000 + tonumber(t[2])))
  end
  return redis.call('INCR', seq)
end
local function position(seq)
  return tonumber(redis.call('GET', seq) or '0')
end
-- Publishes a membership frame on the channel's topic in the same step that decides it, so every node receives a
-- channel's membership changes in the order they were decided. The header is BrokerMessage's (version 2, kind
-- frame, origin, no except socket, the position in decimal), the frame the bytes the deciding node encoded.
local function announce(topic, cmd, origin, frame, pos)
  local p = string.format('%.0f', pos)
  redis.call(cmd, topic, string.char(2, 0, #origin) .. origin .. string.char(0, 0, #p) .. p .. frame)
end
-- A user's online or offline, announced to its watchers in the step that decides it, at the next position of the
-- user's own order (so every node receives one user's changes in the order they were decided, and a watcher can
-- drop one older than what it already holds). The order key outlives the user's offline by a day, so a user back
-- soon continues above its old positions; one back later starts again from the clock, above them too.
local function announce_watch(seq, topic, cmd, origin, frame)
  local pos = next_position(seq)
  redis.call('PEXPIRE', seq, 86400000)
  announce(topic, cmd, origin, frame, pos)
  return pos
end
-- Held leaves (docs/webhooks.md): a vacancy (field 'v'), a member's removal ('m|<user>') or a user going offline
-- ('o'), recorded with the node that holds its webhook in the script that decides it. A join that finds it cancels
-- both webhooks; the holder sends its webhook only if confirm_held.lua still finds its own record. The hash expires
-- keep_ms after its last record: a record whose holder died goes with it.
local function hold(key, field, node, keep_ms)
  redis.call('HSET', key, field, node)
  redis.call('PEXPIRE', key, keep_ms)
end
local function unhold(key, field)
  return redis.call('HDEL', key, field)
end
