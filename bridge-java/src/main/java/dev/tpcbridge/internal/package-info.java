/**
 * Implementation helpers shared by the concept packages: argument checks and bit tricks.
 *
 * <p>Not exported by {@code module-info.java}: nothing here is API, and anything may change without notice.
 * Every helper is stateless and may be called from any thread.
 */
package dev.tpcbridge.internal;
