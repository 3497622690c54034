package dev.tpcbridge.bench.wfq;

import dev.tpcbridge.bridge.BridgeCall;
import dev.tpcbridge.ring.OfferStatus;
import org.agrona.collections.Int2ObjectHashMap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A floor, not library code and not fair: the memory traffic that any per-tenant order pays when the order is not the
 * order of arrival, with none of the work of choosing it. Each request's offer reads its call (tenant, priority,
 * payload length), finds its tenant's record by id and counts the call there; each poll takes a queued call chosen at
 * random (a fair order by finish tag with mixed sizes is as good as random over the tenants) and counts it served on
 * its tenant's record. No tags, no admission: what this costs at a tenant count, a fair intake costs at least, from
 * the caches alone. With {@code claimAtomically}, each offer also pays one atomic read-modify-write on a shared
 * counter, the least that an intake taking calls from many threads pays (a ring's claim): on x86 it waits for every
 * earlier load, so the misses of one request no longer overlap with the next one's.
 *
 * <p>Single-threaded (the benchmarks drive it from one thread; the atomic is there for its cost, it does not make the
 * class thread-safe); the waiting methods are not supported.
 */
public final class RandomOrderIntake extends PeerIntake {
    private static final VarHandle CLAIMS;

    static {
        try {
            CLAIMS = MethodHandles.lookup().findVarHandle(RandomOrderIntake.class, "claims", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int capacity;
    private final boolean claimAtomically;
    private final Int2ObjectHashMap<Record> records = new Int2ObjectHashMap<>();
    /** The queued calls, in {@code [0, size)}, and their tenants' records beside them. */
    private final BridgeCall<?>[] calls;
    private final Record[] owners;
    private final int[] lengths;
    private long seed = 0x9E3779B97F4A7C15L;
    private int size;
    /** Offers counted by an atomic add, when {@code claimAtomically}. */
    private volatile long claims;

    /** One tenant's record: what a fair intake keeps at the least. */
    static final class Record {
        int depth;
        int priority;
        long servedBytes;
        long served;
    }

    /**
     * A bag of {@code capacity} calls.
     *
     * @param capacity        the bound
     * @param claimAtomically whether each offer pays one atomic add (see the class comment)
     */
    public RandomOrderIntake(int capacity, boolean claimAtomically) {
        this.capacity = capacity;
        this.claimAtomically = claimAtomically;
        this.calls = new BridgeCall<?>[capacity];
        this.owners = new Record[capacity];
        this.lengths = new int[capacity];
    }

    @Override
    public OfferStatus offer(BridgeCall<?> call) {
        if (closed()) {
            return OfferStatus.CLOSED;
        }
        if (size >= capacity) {
            return OfferStatus.FULL;
        }
        Record record = records.get(call.tenant());
        if (record == null) {
            record = new Record();
            records.put(call.tenant(), record);
        }
        record.depth++;
        record.priority = call.priority(); // what a weight by class reads
        if (claimAtomically) {
            CLAIMS.getAndAdd(this, 1L); // volatile RMW after the reads, where a ring claims: its cost is the point
        }
        calls[size] = call;
        owners[size] = record;
        lengths[size] = call.payloadLength(); // what a cost reads, kept so that the poll reads nothing of the call
        size++;
        return OfferStatus.OK;
    }

    @Override
    public BridgeCall<?> poll() {
        if (size == 0) {
            return null;
        }
        long x = seed; // xorshift64
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        seed = x;
        final int i = (int) (((x >>> 32) * size) >>> 32); // uniform in [0, size)
        final BridgeCall<?> call = calls[i];
        final Record record = owners[i];
        final int length = lengths[i];
        size--;
        calls[i] = calls[size]; // the last one fills the hole
        owners[i] = owners[size];
        lengths[i] = lengths[size];
        calls[size] = null;
        owners[size] = null;
        record.depth--;
        record.served++;
        record.servedBytes += length;
        return call;
    }

    @Override
    public int size() {
        return size;
    }
}
