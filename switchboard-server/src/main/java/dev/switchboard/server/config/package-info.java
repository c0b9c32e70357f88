/**
 * The one immutable configuration tree and how it is read from defaults, a file, the environment and flags.
 * {@link dev.switchboard.server.config.ConfigLoader} layers the sources; {@code ConfigValues} converts one
 * value, {@code ConfigValidator} checks the built tree, {@code SettingSuggestions} words "did you mean", and
 * {@code ConfigRecords} maps between the records and the loader's key → value maps.
 */
package dev.switchboard.server.config;
