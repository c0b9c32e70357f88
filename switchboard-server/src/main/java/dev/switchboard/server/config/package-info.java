/** The one immutable configuration tree and how it is read from defaults, a file, the environment and flags. */
package dev.switchboard.server.config;
