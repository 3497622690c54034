package dev.tpcbridge.ring;

// Padding by inheritance: written by the producer on every push, so kept two cache lines away from anything else.

abstract class PushCountPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

abstract class PushCountFields extends PushCountPad0 {
    /** Elements pushed so far; producer thread only. */
    long pushed;
    /** Elements popped as of the producer's last look at the ring's size; producer thread only. */
    long popsSeen;
}

/**
 * The producer's own push count of an SPSC {@link WakingRing} with backpressure: {@code pushed - popsSeen} bounds the
 * size from above without reading the consumer's index. Plain fields, producer thread only.
 */
final class PushCount extends PushCountFields {
    long p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31;
}
