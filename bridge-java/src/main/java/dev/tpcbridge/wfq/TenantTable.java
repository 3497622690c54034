package dev.tpcbridge.wfq;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The intake's tenants by id: an open-addressing table (linear probing, at most half full) that any thread reads
 * without a lock and that changes only under the intake's lock.
 *
 * <p>A reader may miss a tenant that is being moved by a removal's backward shift, or that was inserted after it
 * read the array: a miss sends it to the slow path, which looks again under the lock. It may find a record that was
 * reaped since: its depth is then {@link Tenant#DEAD} and the reader's CAS on it fails. A record inserted before a
 * reader's acquire of something published after the insert (the request itself, through the intake's ring) is found:
 * inserts fill empty slots and resizes copy everything before publishing the new array, so only a removal can hide
 * one, and only the poll thread removes, never while it looks.
 */
final class TenantTable {
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Tenant[].class);
    private static final VarHandle TABLE;
    static final int MIN_LENGTH = 16;

    static {
        try {
            TABLE = MethodHandles.lookup().findVarHandle(TenantTable.class, "table", Tenant[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile Tenant[] table = new Tenant[MIN_LENGTH];
    /** Records in the table; under the lock. */
    private int count;

    private static int home(int id, int mask) {
        final int h = id * 0x9E3779B9; // Fibonacci hashing: consecutive ids spread
        return (h ^ (h >>> 16)) & mask;
    }

    /**
     * The record of {@code id}, or {@code null}; lock-free, any thread.
     */
    Tenant find(int id) {
        // acquire: pairs with the release in publish(); the array's slots are read with acquire too.
        final Tenant[] table = (Tenant[]) TABLE.getAcquire(this);
        final int mask = table.length - 1;
        int i = home(id, mask);
        while (true) {
            // acquire: pairs with the release in place(): a record is seen fully built.
            final Tenant e = (Tenant) SLOTS.getAcquire(table, i);
            if (e == null) {
                return null;
            }
            if (e.id == id) {
                return e;
            }
            i = (i + 1) & mask;
        }
    }

    /** Under the lock: adds a record for an id that has none. */
    void insert(Tenant tenant) {
        if ((count + 1) * 2 > table.length) {
            resize(table.length * 2);
        }
        insertInto(table, tenant);
        count++;
    }

    /** Under the lock: removes {@code tenant}'s record if it is in the table (backward-shift deletion). */
    void remove(Tenant tenant) {
        final Tenant[] table = this.table;
        final int mask = table.length - 1;
        int i = home(tenant.id, mask);
        while (table[i] != tenant) {
            if (table[i] == null) {
                return;
            }
            i = (i + 1) & mask;
        }
        count--;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            final Tenant e = table[j];
            if (e == null) {
                place(table, i, null);
                break;
            }
            final int k = home(e.id, mask);
            // e may move back to the hole at i unless its home lies cyclically in (i, j]
            final boolean stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
            if (!stays) {
                place(table, i, e); // first the copy, then the old place goes: a reader sees e at least once ...
                i = j; // ... unless it passed i before the copy: then it misses, and looks again under the lock
            }
        }
        if (table.length > MIN_LENGTH && count * 4 < table.length) {
            resize(table.length / 2); // memory comes back when tenants leave
        }
    }

    /** Records in the table; under the lock, or a snapshot. */
    int count() {
        return count;
    }

    /** The slot count, for memory-bound tests. */
    int length() {
        return table.length;
    }

    /** A snapshot of the slots for enumeration: read with {@link #slotAcquire}. */
    Tenant[] snapshot() {
        return (Tenant[]) TABLE.getAcquire(this);
    }

    static Tenant slotAcquire(Tenant[] table, int i) {
        return (Tenant) SLOTS.getAcquire(table, i);
    }

    private void resize(int length) {
        final Tenant[] old = table;
        final Tenant[] fresh = new Tenant[length];
        for (Tenant e : old) {
            if (e != null) {
                insertInto(fresh, e);
            }
        }
        // release: the new array's slots before the array; pairs with the acquire in find(). The old array is never
        // written again, so a reader still on it sees a consistent, older table.
        TABLE.setRelease(this, fresh);
    }

    private static void insertInto(Tenant[] table, Tenant tenant) {
        final int mask = table.length - 1;
        int i = home(tenant.id, mask);
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        place(table, i, tenant);
    }

    private static void place(Tenant[] table, int i, Tenant tenant) {
        // release: the record's fields before the reference; pairs with the acquire in find().
        SLOTS.setRelease(table, i, tenant);
    }
}
