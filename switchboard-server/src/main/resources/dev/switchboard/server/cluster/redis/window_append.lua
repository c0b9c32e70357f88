-- Channel resume: keeps one event in the channel's window, on the channel's slot, with the next sequence of the
-- channel. KEYS: events (a list, oldest first), sequence. ARGV: event, data, max events, max age in ms, now in ms, the event's length in UTF-16 units (what the reader cuts by).
-- An entry is "seq:at:len(event):" .. event .. data. Trimmed by count, then by age from the oldest; the sequence
-- outlives any place noted against it (window_release.lua sets the same expiry). Returns the sequence.
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
return seq
