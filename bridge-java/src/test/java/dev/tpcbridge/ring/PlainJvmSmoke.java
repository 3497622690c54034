package dev.tpcbridge.ring;

/**
 * A main run by {@link PlainJvmTest} in a child JVM started with no flag at all: it moves elements across threads
 * through both rings and prints "ok".
 */
public final class PlainJvmSmoke {
    private PlainJvmSmoke() {
    }

    public static void main(String[] args) throws Exception {
        RingSoak.run(RingKind.SPSC, 64, 1, 200_000);
        RingSoak.run(RingKind.MPSC, 64, 2, 100_000);
        System.out.println("ok");
    }
}
