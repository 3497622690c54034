package dev.tpcbridge.telemetry;

import dev.tpcbridge.internal.Checks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

// Padding by inheritance: the writer's line (write index, its cached view of the read index, the dropped count) and
// the reader's line (read index, the drain guard) sit 128 bytes apart and away from the object header and the final
// fields, so that neither side's stores invalidate the other's line.

abstract class TelemetryPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

abstract class TelemetryWriterFields extends TelemetryPad0 {
    /** Samples written; the writer's, published with a release store. */
    long head;
    /** The read index as the writer last saw it; writer only. */
    long tailCache;
    /** Samples dropped because the buffer was full; the writer's, published with an opaque store. */
    long dropped;
}

abstract class TelemetryPad1 extends TelemetryWriterFields {
    long p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31;
}

abstract class TelemetryReaderFields extends TelemetryPad1 {
    /** Samples read; the exporter's, published with a release store. */
    long tail;
    /** 1 while an exporter drains; taken with a CAS so two exporters never race on the read index. */
    int draining;
}

abstract class TelemetryPad2 extends TelemetryReaderFields {
    long p32, p33, p34, p35, p36, p37, p38, p39, p40, p41, p42, p43, p44, p45, p46, p47;
}

/**
 * A bounded, lock-free buffer of metric samples: one core writes them without ever waiting, one exporter at a time
 * drains them from any thread, and a sample that finds the buffer full is dropped and counted, never written over an
 * unread one.
 *
 * <p><b>Threads.</b> One writer thread: the core that owns the buffer; once {@link #bindWriter()} has named it (a
 * {@code DataPlane} core does so when it starts), any other thread's write throws {@link IllegalStateException}.
 * One exporter at a time calls {@link #drain}; a second one calling at the same time gets
 * {@link IllegalStateException}. {@link #register}, {@link #name}, {@link #kind}, {@link #dropped()},
 * {@link #written()} and {@link #size()} are for any thread.
 *
 * <p><b>Tear-freedom.</b> A sample is three {@code long} words in a slot. The writer fills a slot only after seeing
 * (acquire) that the exporter's read index has passed it, then publishes it by advancing the write index with a
 * release store; the exporter reads the slot's words after an acquire load of that index and gives the slot back by
 * advancing the read index with a release store, which orders its reads of the slot before the writer's next fill.
 * Each index has exactly one writing thread, so no index is ever raced (the writer never advances the read index to
 * make room). Proved by jcstress {@code TelemetryStress} (a sample is never seen mixed
 * with a later one, and nothing is read twice or skipped).
 *
 * <p><b>Progress.</b> Writes and drains are wait-free and allocate nothing. When full, a write returns {@code false}
 * and adds one to {@link #dropped()}: the newest sample is the one lost, so what was drained is always a prefix of
 * what was written, minus the counted drops.
 */
public final class TelemetryBuffer extends TelemetryPad2 {
    /** The most metrics one buffer can name. */
    public static final int MAX_METRICS = 1 << 16;
    private static final int WORDS = 3; // header (kind << 32 | metric), timestamp, value
    private static final MetricKind[] KINDS = MetricKind.values();
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;
    private static final VarHandle DROPPED;
    private static final VarHandle DRAINING;
    private static final VarHandle WRITER;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(TelemetryWriterFields.class, "head", long.class);
            DROPPED = lookup.findVarHandle(TelemetryWriterFields.class, "dropped", long.class);
            TAIL = lookup.findVarHandle(TelemetryReaderFields.class, "tail", long.class);
            DRAINING = lookup.findVarHandle(TelemetryReaderFields.class, "draining", int.class);
            WRITER = lookup.findVarHandle(TelemetryBuffer.class, "writer", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long[] slots;
    private final int capacity;
    private final long mask;
    private final LongSupplier nanoClock;
    private final AtomicReference<Metric[]> metrics = new AtomicReference<>(new Metric[0]);
    /** The one thread allowed to write, or null before {@link #bindWriter()}; volatile, read per write. */
    private volatile Thread writer;

    private TelemetryBuffer(int capacity, LongSupplier nanoClock) {
        this.capacity = capacity;
        this.mask = capacity - 1L;
        this.slots = new long[capacity * WORDS];
        this.nanoClock = nanoClock;
    }

    /**
     * Creates a buffer of {@code capacity} samples, time-stamped with {@link System#nanoTime()}.
     *
     * @param capacity the most samples held, from 1 to 2^24, rounded up to a power of two
     * @return the buffer
     * @throws IllegalArgumentException if {@code capacity} is out of range
     */
    public static TelemetryBuffer create(int capacity) {
        return create(capacity, System::nanoTime);
    }

    /**
     * Creates a buffer of {@code capacity} samples, time-stamped with {@code nanoClock}.
     *
     * @param capacity  the most samples held, from 1 to 2^24, rounded up to a power of two
     * @param nanoClock the time stamp of each sample, read on the writer's thread
     * @return the buffer
     * @throws IllegalArgumentException if {@code capacity} is out of range, or {@code nanoClock} is null
     */
    public static TelemetryBuffer create(int capacity, LongSupplier nanoClock) {
        Checks.notNull("nanoClock", nanoClock);
        return new TelemetryBuffer(Checks.powerOfTwoCapacity("capacity", capacity, 1 << 24), nanoClock);
    }

    /**
     * Names a metric, or finds it if already named with the same kind. Any thread; lock-free (a copy-on-write
     * array: names are meant to be registered once, at start).
     *
     * @param name the metric's name, not blank
     * @param kind its kind, not null
     * @return its id, {@code 0} for the first, then {@code 1}, ...
     * @throws IllegalArgumentException if {@code name} is blank or null, {@code kind} is null, {@code name} is already
     *                                  registered with another kind, or {@link #MAX_METRICS} are registered
     */
    public int register(String name, MetricKind kind) {
        Checks.notNull("name", name);
        Checks.notNull("kind", kind);
        if (name.isBlank()) {
            throw new IllegalArgumentException("name is blank: a metric needs a name an exporter can show");
        }
        while (true) {
            final Metric[] current = metrics.get();
            for (int id = 0; id < current.length; id++) {
                if (current[id].name.equals(name)) {
                    if (current[id].kind != kind) {
                        throw new IllegalArgumentException("metric '" + name + "' is registered as a "
                            + current[id].kind + ", not a " + kind);
                    }
                    return id;
                }
            }
            if (current.length == MAX_METRICS) {
                throw new IllegalArgumentException("cannot register '" + name + "': " + MAX_METRICS
                    + " metrics are registered already");
            }
            final Metric[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = new Metric(name, kind);
            if (metrics.compareAndSet(current, next)) {
                return current.length;
            }
        }
    }

    /**
     * The name of a registered metric. Any thread.
     *
     * @param metric the id {@link #register} returned
     * @return its name
     * @throws IllegalArgumentException if no metric has that id
     */
    public String name(int metric) {
        return metric(metric).name;
    }

    /**
     * The kind of a registered metric. Any thread.
     *
     * @param metric the id {@link #register} returned
     * @return its kind
     * @throws IllegalArgumentException if no metric has that id
     */
    public MetricKind kind(int metric) {
        return metric(metric).kind;
    }

    private Metric metric(int id) {
        final Metric[] current = metrics.get();
        if (id < 0 || id >= current.length) {
            throw new IllegalArgumentException("metric id " + id + " is not registered (" + current.length
                + " metrics are)");
        }
        return current[id];
    }

    /**
     * Makes the calling thread the only one allowed to write from now on. Called by the core when it starts.
     *
     * @throws IllegalStateException if another thread is bound already
     */
    public void bindWriter() {
        final Thread current = Thread.currentThread();
        // CAS: of two threads racing to bind, one wins and the other throws (volatile: every later write's check
        // sees the winner).
        final Thread bound = (Thread) WRITER.compareAndExchange(this, (Thread) null, current);
        if (bound != null && bound != current) {
            throw new IllegalStateException("the telemetry buffer's writer is thread '" + bound.getName()
                + "'; called from thread '" + current.getName() + "'");
        }
    }

    /**
     * Writes a counter increment. The writer thread; wait-free.
     *
     * @param metric a {@link MetricKind#COUNTER} id
     * @param delta  the increment
     * @return {@code true} if written, {@code false} if dropped (full) and counted
     * @throws IllegalArgumentException if {@code metric} is not a registered counter
     * @throws IllegalStateException    if called from a thread other than the bound writer
     */
    public boolean counter(int metric, long delta) {
        return write(metric, MetricKind.COUNTER, delta);
    }

    /**
     * Writes a gauge level. The writer thread; wait-free.
     *
     * @param metric a {@link MetricKind#GAUGE} id
     * @param value  the level
     * @return {@code true} if written, {@code false} if dropped (full) and counted
     * @throws IllegalArgumentException if {@code metric} is not a registered gauge
     * @throws IllegalStateException    if called from a thread other than the bound writer
     */
    public boolean gauge(int metric, long value) {
        return write(metric, MetricKind.GAUGE, value);
    }

    /**
     * Writes one histogram observation. The writer thread; wait-free.
     *
     * @param metric a {@link MetricKind#HISTOGRAM} id
     * @param value  the observation
     * @return {@code true} if written, {@code false} if dropped (full) and counted
     * @throws IllegalArgumentException if {@code metric} is not a registered histogram
     * @throws IllegalStateException    if called from a thread other than the bound writer
     */
    public boolean histogram(int metric, long value) {
        return write(metric, MetricKind.HISTOGRAM, value);
    }

    private boolean write(int metric, MetricKind kind, long value) {
        final Thread bound = writer;
        if (bound != null && bound != Thread.currentThread()) {
            throw new IllegalStateException("the telemetry buffer's writer is thread '" + bound.getName()
                + "'; called from thread '" + Thread.currentThread().getName() + "'");
        }
        final Metric[] current = metrics.get();
        if (metric < 0 || metric >= current.length || current[metric].kind != kind) {
            throw new IllegalArgumentException("metric id " + metric + " is not a registered " + kind
                + (metric >= 0 && metric < current.length ? " ('" + current[metric].name + "' is a "
                + current[metric].kind + ")" : ""));
        }
        final long h = head; // own field: plain
        if (h - tailCache >= capacity) {
            // Acquire: pairs with the exporter's release store of the read index, made after it read the slots it
            // gives back, so this writer's fills below cannot overtake those reads.
            tailCache = (long) TAIL.getAcquire(this);
            if (h - tailCache >= capacity) {
                DROPPED.setOpaque(this, dropped + 1); // single writer: no read-modify-write needed
                return false;
            }
        }
        final int at = (int) (h & mask) * WORDS;
        slots[at] = (long) kind.ordinal() << 32 | metric;
        slots[at + 1] = nanoClock.getAsLong();
        slots[at + 2] = value;
        // Release: publishes the three words above; pairs with the exporter's acquire load of the write index.
        HEAD.setRelease(this, h + 1);
        return true;
    }

    /**
     * Hands up to {@code limit} samples to {@code handler}, oldest first, on the calling thread. Each slot is given
     * back before its sample is handed on, so a throwing handler loses only the sample it was given. Wait-free;
     * allocates nothing.
     *
     * @param handler the exporter's handler, not null
     * @param limit   the most samples to hand on, {@code >= 1}
     * @return how many were handed on
     * @throws IllegalArgumentException if {@code handler} is null or {@code limit < 1}
     * @throws IllegalStateException    if another thread is draining at the same time
     */
    public int drain(SampleHandler handler, int limit) {
        Checks.notNull("handler", handler);
        Checks.positiveLimit(limit);
        // The CAS makes concurrent exporters fail loudly instead of racing on the read index; its volatile
        // semantics also carry the previous exporter's read index to this one.
        if (!DRAINING.compareAndSet(this, 0, 1)) {
            throw new IllegalStateException("another thread is draining this telemetry buffer: one exporter at a time");
        }
        try {
            long t = tail;
            // Acquire: pairs with the writer's release store of the write index, so the slots below are whole.
            final long available = (long) HEAD.getAcquire(this) - t;
            final int n = (int) Math.min(available, limit);
            for (int i = 0; i < n; i++) {
                final int at = (int) (t & mask) * WORDS;
                final long header = slots[at];
                final long timestamp = slots[at + 1];
                final long value = slots[at + 2];
                // Release: orders the three reads above before the writer may refill the slot (its acquire of tail).
                TAIL.setRelease(this, ++t);
                handler.onSample((int) header, KINDS[(int) (header >>> 32)], timestamp, value);
            }
            return n;
        } finally {
            DRAINING.setRelease(this, 0);
        }
    }

    /**
     * Samples dropped because the buffer was full. Any thread; exact for the writer. Another thread reads a recent
     * value: a drop is counted a moment after the write found the buffer full, so it may not show yet.
     *
     * @return the count
     */
    public long dropped() {
        return (long) DROPPED.getOpaque(this);
    }

    /**
     * Samples written (not counting the dropped ones). Any thread.
     *
     * @return the count
     */
    public long written() {
        return (long) HEAD.getAcquire(this);
    }

    /**
     * Samples written and not yet drained. Any thread; exact for the exporter (between its drains), a snapshot for
     * others (the two indexes are read one after the other).
     *
     * @return the count, from 0 to {@link #capacity()}
     */
    public int size() {
        final long t = (long) TAIL.getAcquire(this);
        return (int) Math.max(0, Math.min(capacity, (long) HEAD.getAcquire(this) - t));
    }

    /**
     * The most samples held at once.
     *
     * @return the capacity
     */
    public int capacity() {
        return capacity;
    }

    @Override
    public String toString() {
        return "TelemetryBuffer{capacity=" + capacity + ", size=" + size() + ", written=" + written() + ", dropped="
            + dropped() + ", metrics=" + metrics.get().length + '}';
    }

    private static final class Metric {
        final String name;
        final MetricKind kind;

        Metric(String name, MetricKind kind) {
            this.name = name;
            this.kind = kind;
        }
    }
}
