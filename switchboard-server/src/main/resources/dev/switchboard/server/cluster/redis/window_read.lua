-- Channel resume: the channel's sequence and its kept events, oldest first, read together on the channel's slot.
-- KEYS: events, sequence. Returns {head, entry…} (window_append.lua's entries; the caller drops those too old).
local out = redis.call('LRANGE', KEYS[1], 0, -1)
table.insert(out, 1, tonumber(redis.call('GET', KEYS[2]) or '0'))
return out
