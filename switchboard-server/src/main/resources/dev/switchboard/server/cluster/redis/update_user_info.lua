-- KEYS: conns, info. Replaces the user_info of an online user. Returns 1, or 0 when the user is not online.
if total(KEYS[1]) == 0 then return 0 end
redis.call('SET', KEYS[2], ARGV[1])
return 1
