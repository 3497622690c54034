package dev.tpcbridge.bridge;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

/**
 * Lincheck model of {@link BridgeCall}'s claim: the caller giving up ({@code cancel}, {@code complete},
 * {@code completeExceptionally}, as {@code orTimeout} does) races the client delivering the answer; exactly one
 * decides, the first in the linearization order, and every later attempt reports that it lost. The answer runs on
 * one thread (the client's completion thread: a non-parallel group), the caller's operations on any. The sequential
 * specification is the call itself run one operation at a time. {@code isGivenUp} (what the data side reads to skip a
 * request) is an observer; {@code isDone} is not, since a claim precedes its completion by a moment (the claim, not
 * the completion, is the linearization point).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BridgeCallLincheckTest {
    /** One call, and an OK answer whose decoder yields 7. */
    public static class Call {
        private final BridgeCall<Long> call = new BridgeCall<>(Request.create().id(1), response -> 7L);
        private final Response ok = Request.create().response();

        public Call() {
        }

        @Operation(nonParallelGroup = "completer")
        public boolean answer() {
            return call.answer(ok);
        }

        @Operation(nonParallelGroup = "completer")
        public boolean failClosed() {
            return call.fail(new BridgeClosedException("closed"));
        }

        @Operation
        public boolean cancel() {
            return call.cancel(false);
        }

        @Operation
        public boolean complete() {
            return call.complete(5L);
        }

        @Operation
        public boolean timeOut() {
            return call.completeExceptionally(new java.util.concurrent.TimeoutException());
        }

        @Operation
        public boolean isGivenUp() {
            return call.isGivenUp();
        }
    }

    static <O extends Options<O, ?>> O sized(O options, int iterations, int invocations) {
        return options.iterations(iterations)
            .invocationsPerIteration(invocations)
            .threads(3)
            .actorsPerThread(2)
            .actorsBefore(0)
            .actorsAfter(1);
    }

    @Test
    void modelChecking() {
        sized(new ModelCheckingOptions(), 10, 200).check(Call.class);
    }

    @Test
    void stress() {
        sized(new StressOptions(), 10, 500).check(Call.class);
    }
}
