/** The command line: flags and help (picocli), config loading, start, and the SIGTERM shutdown hook. */
package dev.switchboard.server.cli;
