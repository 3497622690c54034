/**
 * Implementation helpers shared by the concept packages: argument checks (with capacity rounding) and the
 * collection of callback failures.
 *
 * <p>Not exported by {@code module-info.java}: nothing here is API, and anything may change without notice.
 * Every helper is stateless and may be called from any thread.
 */
package dev.tpcbridge.internal;
