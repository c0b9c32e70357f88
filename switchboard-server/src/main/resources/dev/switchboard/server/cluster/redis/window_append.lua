-- Channel resume: keeps one event in the channel's window, on the channel's slot, with the next sequence of the
-- channel, and publishes it to every node in the same step, so the channel's events reach every node in the order of
-- their sequences (two racing publishes included). KEYS: events (a list, oldest first), sequence, the channel's topic.
-- ARGV: event, data, max events, max age in ms, now in ms, the event's length in UTF-16 units (what the reader cuts
-- by), the publish command (PUBLISH, SPUBLISH, or empty: keep only), origin node, except socket id, the frame.
-- An entry is "seq:at:len(event):" .. event .. data. Trimmed by count, then by age from the oldest; the sequence
-- outlives any place noted against it (window_release.lua sets the same expiry). The message is BrokerMessage's
-- SEQUENCED: version 2, kind 3, origin, except socket id (2-byte length), the sequence in digits, the frame.
-- Returns the sequence.
local seq = redis.call('INCR', KEYS[2])
local now, age = tonumber(ARGV[5]), tonumber(ARGV[4])
redis.call('RPUSH', KEYS[1], seq .. ':' .. ARGV[5] .. ':' .. ARGV[6] .. ':' .. ARGV[1] .. ARGV[2])
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[3]), -1)
while true do
  local first = redis.call('LINDEX', KEYS[1], 0)
  if not first then break end
  local at = tonumber(string.match(first, '^%d+:(%d+):'))
  if now - at <= age then break end
  redis.call('LPOP', KEYS[1])
end
redis.call('PEXPIRE', KEYS[1], age)
redis.call('PEXPIRE', KEYS[2], 2 * age)
if ARGV[7] ~= '' then
  local origin, except, p = ARGV[8], ARGV[9], tostring(seq)
  redis.call(ARGV[7], KEYS[3], string.char(2, 3, #origin) .. origin
    .. string.char(math.floor(#except / 256), #except % 256) .. except .. string.char(#p) .. p .. ARGV[10])
end
return seq
