package dev.tpcbridge.wfq;

import dev.tpcbridge.bench.wfq.Calls;
import dev.tpcbridge.bridge.BridgeCall;
import dev.tpcbridge.ring.ElementHandler;
import dev.tpcbridge.ring.MpscRing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The fair intake built up from its parts, to see what each costs beside the scheduler: the scheduler and the call's
 * fields (always), then, by system property, the tenant table (-Dtable), the admission's CAS and counts (-Dadmit),
 * the global size CAS and release (-Dsize), the ring to the poll thread (-Dring), the offer's fence (-Dwake). One
 * thread, the benchmark's loop (poll, then offer the same call), every tenant holding one call.
 */
public final class MiniProbe {
    static final boolean TABLE = Boolean.getBoolean("table");
    static final boolean ADMIT = Boolean.getBoolean("admit");
    static final boolean SIZE = Boolean.getBoolean("size");
    static final boolean RING = Boolean.getBoolean("ring");
    static final boolean WAKE = Boolean.getBoolean("wake");
    static final int TAKE = Integer.getInteger("take", 0); // 0 drain, 1 poll loop, 2 relaxedPoll loop
    static final VarHandle SIZE_H;

    static {
        try {
            SIZE_H = MethodHandles.lookup().findVarHandle(MiniProbe.class, "size", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final FairScheduler scheduler;
    private final TenantTable table = new TenantTable();
    private final Tenant[] byId;
    private final MpscRing<BridgeCall<?>> ring;
    private final ElementHandler<BridgeCall<?>> arrival = this::arrive;
    private BridgeCall<?> pending;
    private volatile int size;

    MiniProbe(int n, int capacity) {
        scheduler = new FairScheduler(capacity);
        ring = MpscRing.create(capacity);
        byId = new Tenant[n];
        for (int i = 0; i < n; i++) {
            byId[i] = new Tenant(i, 0);
            table.insert(byId[i]);
        }
    }

    private Tenant tenant(BridgeCall<?> call) {
        return TABLE ? table.find(call.tenant()) : byId[call.tenant()];
    }

    void offer(BridgeCall<?> call) {
        final long c = Math.max(1, call.payloadLength());
        final Tenant t = tenant(call);
        if (ADMIT) {
            final long a = t.admittedVolatile();
            final int depth = (int) (a - t.servedAcquire());
            if (depth > 1_000_000 || c < 0 || !t.casAdmitted(a, a + 1)) {
                throw new IllegalStateException();
            }
        }
        if (SIZE) {
            final int s = size;
            if (!SIZE_H.compareAndSet(this, s, s + 1)) {
                throw new IllegalStateException();
            }
        }
        if (RING) {
            ring.offer(call);
        } else {
            pending = call;
        }
        if (WAKE) {
            VarHandle.fullFence();
        }
    }

    private void arrive(BridgeCall<?> call) {
        final Tenant t = tenant(call);
        final long c = Math.max(1, call.payloadLength());
        final int w = call.priority() >= 2 ? 4 : call.priority() == 1 ? 2 : 1;
        scheduler.enqueue(t, call, c, w, call.payloadLength());
    }

    BridgeCall<?> poll() {
        if (RING) {
            if (TAKE == 0) {
                ring.drain(arrival, Integer.MAX_VALUE);
            } else if (TAKE == 1) {
                BridgeCall<?> c;
                while ((c = ring.poll()) != null) {
                    arrive(c);
                }
            } else {
                BridgeCall<?> c;
                while ((c = ring.relaxedPoll()) != null) {
                    arrive(c);
                }
            }
        } else if (pending != null) {
            arrive(pending);
            pending = null;
        }
        final BridgeCall<?> call = (BridgeCall<?>) scheduler.poll();
        final Tenant t = (Tenant) scheduler.lastFlow();
        if (ADMIT) {
            t.servedOne(scheduler.lastBytes());
        }
        if (SIZE) {
            SIZE_H.getAndAdd(this, -1);
        }
        return call;
    }

    public static void main(String[] a) {
        final int n = Integer.parseInt(a[0]);
        final int iters = Integer.parseInt(a[1]);
        final MiniProbe p = new MiniProbe(n, Math.max(64, 4 * n));
        final BridgeCall<?>[] calls = Calls.make(n, (i, request) -> request.tenant(i).priority(i % 3)
            .payload(Calls.BYTES, 0, 64 + (int) ((i * 2654435761L) % (64 * 1024 - 64))));
        for (BridgeCall<?> call : calls) {
            p.offer(call);
            if (!RING) {
                p.arrive(p.pending);
                p.pending = null;
            }
        }
        long sink = 0;
        for (int i = 0; i < iters; i++) {
            final BridgeCall<?> call = p.poll();
            sink += call.id();
            p.offer(call);
        }
        final StringBuilder sb = new StringBuilder();
        for (int rep = 0; rep < 5; rep++) {
            final long t0 = System.nanoTime();
            for (int i = 0; i < iters; i++) {
                final BridgeCall<?> call = p.poll();
                sink += call.id();
                p.offer(call);
            }
            sb.append(String.format(" %.1f", (System.nanoTime() - t0) / (double) iters));
        }
        System.out.println("tenants=" + n + " table=" + TABLE + " admit=" + ADMIT + " size=" + SIZE + " ring=" + RING
            + " wake=" + WAKE + " take=" + TAKE + " ns/request:" + sb + (sink == 42 ? "!" : ""));
    }
}
