package dev.tpcbridge.bench.wfq;

import dev.tpcbridge.bridge.BridgeCall;
import dev.tpcbridge.ring.OfferStatus;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.ArrayDeque;

/**
 * A peer, not library code: the reference design's "weighted fair queue" (nodedb-bridge {@code wfq::WeightedFairQueue}
 * with {@code wfq::priority_weight} and {@code wfq_metrics::VirtualQueueMetrics}, listed in
 * {@code shared/seeds/000_c2f9a4fdc74b33ca.txt}; its algorithm as {@code shared/SPEC.md}, section {@code wfq},
 * describes it), ported with its defects on purpose so that benchmarks and the share check compare against it:
 * <ul>
 *   <li>deficit round robin counted in items: every visit adds a quantum of one item, whatever the request's
 *   size;</li>
 *   <li>no virtual time: a tenant that arrives joins the round's end; one that leaves loses nothing, gains
 *   nothing;</li>
 *   <li>equal shares whatever the weight: the priority weight is computed and kept per queue, and never read by the
 *   scheduler;</li>
 *   <li>one global bound and no per-tenant admission: the first tenant can fill the whole queue.</li>
 * </ul>
 * Single-threaded (the benchmarks drive it from one thread); the waiting methods are not supported. Tenant lookup uses
 * Agrona's primitive map, so the port pays no boxing the original (a Rust {@code HashMap}) would not pay.
 */
public final class SeedDrrIntake extends PeerIntake {
    private static final int QUANTUM = 1; // items per round, for every tenant

    private final int capacity;
    private final Int2ObjectHashMap<VirtualQueue> queues = new Int2ObjectHashMap<>();
    /** Tenants with calls, in round-robin order; {@code cursor} is the one being served. */
    private final ArrayDeque<VirtualQueue> round = new ArrayDeque<>();
    private int size;

    /** One tenant's queue. */
    static final class VirtualQueue {
        final ArrayDeque<BridgeCall<?>> calls = new ArrayDeque<>();
        final int weight;
        int deficit;
        boolean inRound;

        VirtualQueue(int weight) {
            this.weight = weight;
        }
    }

    /**
     * A queue of {@code capacity} calls in all.
     *
     * @param capacity the global bound
     */
    public SeedDrrIntake(int capacity) {
        this.capacity = capacity;
    }

    /** The seed's {@code priority_weight}: kept, never used by the scheduler. */
    static int priorityWeight(int priority) {
        return priority >= 2 ? 4 : priority == 1 ? 2 : 1;
    }

    @Override
    public OfferStatus offer(BridgeCall<?> call) {
        if (closed()) {
            return OfferStatus.CLOSED;
        }
        if (size >= capacity) {
            return OfferStatus.FULL; // global bound only: whoever came first may hold all of it
        }
        VirtualQueue queue = queues.get(call.tenant());
        if (queue == null) {
            queue = new VirtualQueue(priorityWeight(call.priority()));
            queues.put(call.tenant(), queue);
        }
        queue.calls.addLast(call);
        size++;
        if (!queue.inRound) {
            queue.inRound = true;
            round.addLast(queue);
        }
        return OfferStatus.OK;
    }

    @Override
    public BridgeCall<?> poll() {
        while (true) {
            final VirtualQueue queue = round.peekFirst();
            if (queue == null) {
                return null;
            }
            if (queue.deficit <= 0) {
                queue.deficit += QUANTUM; // the same quantum for every weight, in items
            }
            final BridgeCall<?> call = queue.calls.pollFirst();
            queue.deficit--;
            size--;
            if (queue.calls.isEmpty()) {
                queue.deficit = 0;
                queue.inRound = false;
                round.pollFirst(); // the empty queue stays in the map: never reaped
            } else if (queue.deficit <= 0) {
                round.addLast(round.pollFirst());
            }
            return call;
        }
    }

    @Override
    public int size() {
        return size;
    }
}
