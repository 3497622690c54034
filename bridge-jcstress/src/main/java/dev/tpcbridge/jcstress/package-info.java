/**
 * jcstress tests for every publication protocol of bridge-java: one container class per primitive, one nested
 * scenario per property, every outcome described and a catch-all {@code FORBIDDEN}.
 *
 * <p>Run: {@code java -jar bridge-jcstress/target/jcstress.jar -m sanity} (CI) or {@code -m quick}/{@code default}.
 */
package dev.tpcbridge.jcstress;
