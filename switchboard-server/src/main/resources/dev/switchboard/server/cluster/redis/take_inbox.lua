-- Empties the user inbox and answers what it held, oldest first. KEYS: inbox.
local entries = redis.call('LRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1])
return entries
