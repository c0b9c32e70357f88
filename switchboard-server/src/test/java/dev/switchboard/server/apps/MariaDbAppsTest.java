package dev.switchboard.server.apps;

/** Apps from the machine's MariaDB, spoken to as mysql:// (no change feed: the TTL alone applies changes). */
class MariaDbAppsTest extends DatabaseAppsContract {

    @Override
    TestDatabase createDatabase() {
        return TestDatabase.mariadb();
    }
}
