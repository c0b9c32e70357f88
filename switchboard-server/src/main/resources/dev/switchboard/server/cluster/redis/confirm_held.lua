-- The end of a held leave's delay (lib.lua): KEYS[1] the held leaves of a channel or user, ARGV: the field, the
-- holding node. Returns 1, and removes the record, when it is still there and still this node's; then, and only
-- then, the node sends the webhook.
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return {1}
end
return {0}
