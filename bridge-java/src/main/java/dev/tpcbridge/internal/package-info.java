/**
 * Implementation helpers shared by the concept packages: argument checks (with capacity rounding), the
 * collection of callback failures, the Agrona idle-strategy adapter and {@link dev.tpcbridge.internal.WaiterList},
 * the armed-waiter list of the wake protocol.
 *
 * <p>Not exported by {@code module-info.java}: nothing here is API, and anything may change without notice.
 * Every helper may be called from any thread; each type's Javadoc states its own thread model.
 */
package dev.tpcbridge.internal;
