/**
 * The ground floor: helpers shared by the concept packages (argument checks with capacity rounding, the collection of
 * callback failures, CPU affinity reached by reflection, the mark of a client's completion thread). It imports no
 * other package of the library.
 *
 * <p>Not exported by {@code module-info.java}: nothing here is API, and anything may change without notice.
 * Every helper may be called from any thread; each type's Javadoc states its own thread model.
 */
package dev.tpcbridge.internal;
