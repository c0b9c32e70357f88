package dev.switchboard.server.apps;

/** App look-ups on the machine's MariaDB: no change feed, so a disabled or deleted app is cut off within the TTL. */
class MariaDbLookupsTest extends DatabaseLookupsContract {

    @Override
    TestDatabase createDatabase() {
        return TestDatabase.mariadb();
    }

    @Override
    int changeTtlSeconds() {
        return 1;
    }
}
