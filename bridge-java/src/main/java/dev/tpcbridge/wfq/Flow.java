package dev.tpcbridge.wfq;

/**
 * One tenant's virtual queue as {@link FairScheduler} sees it: a FIFO of slots and the tags that place it in the
 * scheduler's flow queue. Every field here belongs to the scheduler's thread (the intake's poll thread): plain
 * accesses.
 */
class Flow {
    /** The tenant id. */
    final int id;
    /**
     * Last slot of the queue, {@code -1} when empty; linked through the scheduler's slot links. The first slot is not
     * kept here: it travels with the flow's entry in the scheduler's {@link RadixQueue}.
     */
    int tail = -1;
    /** How many requests the queue holds. */
    int queued;
    /** The virtual finish tag of the last request enqueued (the tenant's "last finish"). */
    long lastFinish;
    /** Links of the intake's {@link IdleList} (oldest first), for reaping; {@code idle} says whether it is on it. */
    Flow idlePrev;
    Flow idleNext;
    boolean idle;

    Flow(int id) {
        this.id = id;
    }
}
