-- A webhook batch kept until delivered (docs/webhooks.md). KEYS: the target's stream. ARGV: group, this node (the
-- consumer), then the entry's field/value pairs. The batch is added and, in the same step, read by this node through
-- the group, so it is pending for this node from the start: no other node takes it while this node's lease lives,
-- and once it expired the batch is claimed by another node (XCLAIM). Every append reads its own entry, so '>' gives
-- exactly that one. Returns {entry id, 1 if the stream and its group were made now}.
local made = 0
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('XGROUP', 'CREATE', KEYS[1], ARGV[1], '$', 'MKSTREAM')
  made = 1
end
local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 3))
redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', 1, 'STREAMS', KEYS[1], '>')
return {id, made}
