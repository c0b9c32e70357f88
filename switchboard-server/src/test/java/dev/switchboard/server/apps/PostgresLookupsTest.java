package dev.switchboard.server.apps;

/** App look-ups on the machine's PostgreSQL: a disabled or deleted app is cut off through NOTIFY, TTL an hour. */
class PostgresLookupsTest extends DatabaseLookupsContract {

    @Override
    TestDatabase createDatabase() {
        return TestDatabase.postgres();
    }

    @Override
    int changeTtlSeconds() {
        return 3600;
    }
}
