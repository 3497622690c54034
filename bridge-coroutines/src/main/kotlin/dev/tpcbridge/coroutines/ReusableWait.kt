package dev.tpcbridge.coroutines

import dev.tpcbridge.wake.Wakeable
import dev.tpcbridge.wake.Waker
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.Job
import java.util.concurrent.atomic.AtomicInteger
import kotlin.coroutines.Continuation
import kotlin.coroutines.ContinuationInterceptor
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.EmptyCoroutineContext
import kotlin.coroutines.intrinsics.COROUTINE_SUSPENDED

/**
 * A suspension that allocates nothing once it has served a coroutine: the per-message waits of a [SuspendingPort]
 * (`send` and `receive`) park here instead of in a new `CancellableContinuation` each time (30 to 190 bytes a wait,
 * which a stream of messages that often finds its ring empty pays per message).
 *
 * ## How
 * The caller's own continuation (the state machine of the coroutine's loop, which lives as long as the loop) is kept,
 * not wrapped. This object is the [Waker] armed on the condition, and also a [Continuation] of its own, intercepted
 * once per caller's context ([ContinuationInterceptor.interceptContinuation], cached as Kotlin caches a state
 * machine's; the last caller's context stays referenced until another caller waits here). A
 * wake dispatches this object to the caller's dispatcher; there, [resumeWith] tries again ([attempt]) and resumes the
 * caller with the value directly (it already runs where the caller must), or re-arms. Cancellation comes from one
 * handler per job ([Job.invokeOnCompletion] with `onCancelling`), registered when a job first waits here and disposed
 * when another job waits here or the port is found closed: so a job that waits here keeps one small node in its
 * handler list until then.
 *
 * ## States
 * `IDLE`, then a caller `CLAIMED` it (only the claimer touches the fields); it arms and commits to `SUSPENDED`, or
 * finds a wake (`WOKEN_EARLY`) or a cancellation (`CANCEL_EARLY`) that came between its arm and its commit. From
 * `SUSPENDED`, the waker's CAS to `WOKEN` or the job handler's to `CANCELLING` owns the one dispatch; the dispatched
 * [resumeWith] is the claimer again. Every CAS on [state] is volatile: the fields written by the claimer before it
 * commits are read by the waker or handler after its CAS (release/acquire through [state]), and the dispatcher's
 * hand-off carries them on to [resumeWith].
 *
 * One caller at a time ([tryClaim]); a caller that finds it claimed takes the allocating path ([awaitReady]).
 *
 * @param T what a wait resumes its caller with
 */
@OptIn(InternalCoroutinesApi::class)
internal abstract class ReusableWait<T> : Waker, Continuation<Unit> {
    private val state = AtomicInteger(IDLE)
    private var caller: Continuation<T>? = null
    private var callerContext: CoroutineContext = EmptyCoroutineContext
    private var interceptor: ContinuationInterceptor? = null
    private var intercepted: Continuation<Unit> = this
    /** The job whose handler is registered; volatile: a stale handler of an earlier job compares against it. */
    @Volatile private var job: Job? = null
    private var jobHandle: DisposableHandle? = null
    private var armedOn: Wakeable? = null

    /**
     * One try: the value to resume the caller with, or [NOT_READY] to wait on. Throws what the caller must get (a
     * close); the claimer's thread only.
     */
    protected abstract fun attempt(): Any?

    /** The condition to wait on: the one [attempt] found not ready. */
    protected abstract fun condition(): Wakeable

    /** The caller was cancelled while it waited: hand back what it carried. The claimer's thread only. */
    protected open fun cancelled() {}

    /** Claims this wait for one caller: false if another caller holds it. */
    fun tryClaim(): Boolean = state.get() == IDLE && state.compareAndSet(IDLE, CLAIMED)

    override val context: CoroutineContext get() = callerContext

    /**
     * The claimer's wait, from `suspendCoroutineUninterceptedOrReturn`: the value at once, or [COROUTINE_SUSPENDED]
     * (the caller is resumed later, with the value or an exception). Throws (releasing the claim) what [attempt]
     * throws, or the job's cancellation.
     */
    fun await(ucont: Continuation<T>): Any? {
        bind(ucont)
        return drive()
    }

    private fun bind(ucont: Continuation<T>) {
        caller = ucont
        val context = ucont.context
        if (context !== callerContext) {
            // Intercepted once per coroutine context (a coroutine keeps its context while it loops here): kotlinx's
            // DispatchedContinuation reads the context's thread-context elements (MDC, tracing) when it is made, so
            // one made for another coroutine could run this caller without its own.
            this.interceptor?.let { if (intercepted !== this) it.releaseInterceptedContinuation(intercepted) }
            callerContext = context
            val interceptor = context[ContinuationInterceptor]
            this.interceptor = interceptor
            intercepted = interceptor?.interceptContinuation(this) ?: this
        }
        val job = context[Job]
        if (job !== this.job) {
            jobHandle?.dispose()
            jobHandle = null
            this.job = job
            // allocates a handler node once per job; invokeImmediately: a job cancelled already answers now (the
            // state is CLAIMED, so it marks CANCEL_EARLY and drive() sees it)
            jobHandle = job?.invokeOnCompletion(onCancelling = true, invokeImmediately = true,
                handler = JobHook(this, job))
        }
    }

    /** Try, arm, commit; loops while the condition turns out ready. The claimer's thread, state CLAIMED. */
    private fun drive(): Any? {
        while (true) {
            val value = try {
                attempt()
            } catch (e: Throwable) {
                dropJob() // the port is closed for this caller: its job need not keep the handler
                release()
                throw e
            }
            if (value !== NOT_READY) {
                release()
                return value
            }
            if (job?.isCancelled == true) {
                throw cancel(abandon = false)
            }
            val wakeable = condition()
            if (!wakeable.arm(this)) {
                continue // ready already: the waker was not armed
            }
            armedOn = wakeable
            if (state.compareAndSet(CLAIMED, SUSPENDED)) {
                return COROUTINE_SUSPENDED
            }
            // a wake or a cancellation came between the arm and the commit: the state says which
            if (state.get() == CANCEL_EARLY) {
                throw cancel(abandon = true)
            }
            wakeable.disarm(this) // WOKEN_EARLY: as after any wake, disarm and try again
            armedOn = null
            state.set(CLAIMED)
        }
    }

    /** Releases the claim for a cancelled caller and returns what it must throw. */
    private fun cancel(abandon: Boolean): CancellationException {
        if (abandon) {
            armedOn?.abandon(this) // a wake it was given goes to the next waiter
        }
        armedOn = null
        val cause = job?.getCancellationException() ?: CancellationException("cancelled")
        cancelled()
        release()
        return cause
    }

    private fun release() {
        caller = null
        state.set(IDLE) // volatile: the next claimer's CAS sees the fields cleared
    }

    private fun dropJob() {
        jobHandle?.dispose()
        jobHandle = null
        job = null
    }

    /** The notifier's side: at most one dispatch per commit. Any thread. */
    override fun wake() {
        while (true) {
            when (state.get()) {
                SUSPENDED -> if (state.compareAndSet(SUSPENDED, WOKEN)) {
                    intercepted.resumeWith(UNIT) // to the caller's dispatcher; nothing allocated on kotlinx's
                    return
                }
                CLAIMED -> if (state.compareAndSet(CLAIMED, WOKEN_EARLY)) return
                else -> return // idle (a late wake of an earlier wait), or woken or cancelled already
            }
        }
    }

    /** The job handler's side: the job is cancelling. The cancelling thread. */
    fun jobCancelling(from: Job) {
        if (from !== job) {
            return // a handler of a job that waits here no more
        }
        while (true) {
            when (state.get()) {
                SUSPENDED -> if (state.compareAndSet(SUSPENDED, CANCELLING)) {
                    intercepted.resumeWith(UNIT)
                    return
                }
                CLAIMED -> if (state.compareAndSet(CLAIMED, CANCEL_EARLY)) return
                else -> return
            }
        }
    }

    /** Dispatched after a wake or a cancellation: runs on the caller's dispatcher, as the claimer. */
    override fun resumeWith(result: Result<Unit>) {
        val caller = this.caller!!
        val outcome: Any? = try {
            // prompt cancellation, as kotlinx's: a caller cancelled while its wake was being dispatched takes nothing,
            // and the wake goes on to the next waiter (abandon) of a condition that wakes one per free unit
            if (state.get() == CANCELLING || job?.isCancelled == true) {
                throw cancel(abandon = true)
            }
            armedOn?.disarm(this) // woken: back to try (a condition that wakes one waiter per unit counts on it)
            armedOn = null
            state.set(CLAIMED)
            drive()
        } catch (e: Throwable) {
            caller.resumeWith(Result.failure(e))
            return
        }
        if (outcome !== COROUTINE_SUSPENDED) {
            @Suppress("UNCHECKED_CAST")
            caller.resumeWith(Result.success(outcome as T))
        }
    }

    /** The cancellation handler of one job (a class, not a lambda: it must know its job). */
    private class JobHook(private val wait: ReusableWait<*>, private val job: Job) : (Throwable?) -> Unit {
        override fun invoke(cause: Throwable?) = wait.jobCancelling(job)
    }

    companion object {
        /** What [attempt] returns when the caller must wait. */
        val NOT_READY: Any = Any()
        private val UNIT = Result.success(Unit)
        private const val IDLE = 0
        private const val CLAIMED = 1
        private const val SUSPENDED = 2
        private const val WOKEN = 3
        private const val WOKEN_EARLY = 4
        private const val CANCELLING = 5
        private const val CANCEL_EARLY = 6
    }
}
