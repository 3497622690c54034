package dev.tpcbridge.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

// Padding by inheritance: the core writes these on every cycle, so they sit on lines of their own, away from the
// fields other threads write (the task ring's producers, a stop request).

abstract class CoreCountersPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

abstract class CoreCountersFields extends CoreCountersPad0 {
    long cycles;
    long tasksRun;
    long taskFailures;
}

/**
 * A core's own counters (its requests are counted by its channels: see {@code Channels}). One writer, the core
 * thread: an increment is a plain read and an opaque store, no
 * read-modify-write atomic; readers on any thread use opaque loads (each value exact for the core, recent for them).
 */
final class CoreCounters extends CoreCountersFields {
    private static final VarHandle CYCLES;
    private static final VarHandle TASKS_RUN;
    private static final VarHandle TASK_FAILURES;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            CYCLES = lookup.findVarHandle(CoreCountersFields.class, "cycles", long.class);
            TASKS_RUN = lookup.findVarHandle(CoreCountersFields.class, "tasksRun", long.class);
            TASK_FAILURES = lookup.findVarHandle(CoreCountersFields.class, "taskFailures", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    long p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31;

    void addCycle() {
        CYCLES.setOpaque(this, cycles + 1);
    }

    void addTaskRun() {
        TASKS_RUN.setOpaque(this, tasksRun + 1);
    }

    void addTaskFailure() {
        TASK_FAILURES.setOpaque(this, taskFailures + 1);
    }

    long cycles() {
        return (long) CYCLES.getOpaque(this);
    }

    long tasksRun() {
        return (long) TASKS_RUN.getOpaque(this);
    }

    long taskFailures() {
        return (long) TASK_FAILURES.getOpaque(this);
    }
}
