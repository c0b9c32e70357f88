-- Whether every node holding sockets in a channel, and node ARGV[2] itself, listens to it on this shard again (after
-- a failover, before that node lets a held presence change be decided and announced). KEYS: subs (the channel's
-- slot). ARGV: the channel's pub/sub channel (same slot), the node. Returns {listeners needed, connections
-- SSUBSCRIBEd to it on this master}.
local needed = redis.call('HLEN', KEYS[1]) + (redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1 and 0 or 1)
return {needed, redis.call('PUBSUB', 'SHARDNUMSUB', ARGV[1])[2]}
