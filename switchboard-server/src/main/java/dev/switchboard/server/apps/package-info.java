/**
 * Where apps come from and how they are looked up: the config's apps, fixed for the node's life, and
 * optionally a PostgreSQL or MySQL/MariaDB table read through a small pool on threads of its own, cached
 * for {@code apps_cache_ttl_seconds}, kept serving from the cache while the database is down, and on
 * PostgreSQL refreshed at once by LISTEN/NOTIFY. The engine asks {@link dev.switchboard.server.apps.AppRegistry}
 * and never waits on the database on an event loop. What clients can make it query is bounded by
 * {@link dev.switchboard.server.apps.LookupGuard} (misses remembered, a per-address allowance); an app
 * disabled or gone is reported to the engine, which closes its connections.
 */
package dev.switchboard.server.apps;
