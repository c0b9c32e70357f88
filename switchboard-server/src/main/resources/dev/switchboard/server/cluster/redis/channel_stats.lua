-- KEYS: subs, mo (one channel). Returns {subscription_count, member_count}.
return {total(KEYS[1]), redis.call('ZCARD', KEYS[2])}
