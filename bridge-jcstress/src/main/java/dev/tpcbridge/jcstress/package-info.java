/**
 * jcstress tests for every publication protocol of bridge-java: one container class per primitive, one nested
 * scenario per property, every outcome described and a catch-all {@code FORBIDDEN}. A test of a package-private
 * structure sits in that structure's package instead ({@code dev.tpcbridge.offload.MpmcQueueStress}): the jar holds
 * it and bridge-java on one class path.
 *
 * <p>Run: {@code java -jar bridge-jcstress/target/jcstress.jar -m sanity} (CI) or {@code -m quick}/{@code default}.
 */
package dev.tpcbridge.jcstress;
